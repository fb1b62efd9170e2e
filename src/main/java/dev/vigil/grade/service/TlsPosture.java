package dev.vigil.grade.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The TLS and certificate facts the service grade is capped by, as plain data.
 *
 * @param weakestKeyExchangeBits RSA-equivalent bits of the weakest key exchange (server key, DH group)
 * @param mozillaLevel the strictest Mozilla level met: modern, intermediate, old or non-compliant
 * @param mozillaAdvice what to change to reach the required level, worded like TLS Observatory
 */
public record TlsPosture(boolean available, Set<String> protocols, boolean rc4, boolean nullExportOrAnonymous,
        boolean weakCipherUnder112Bits, boolean tripleDes, OptionalInt weakestKeyExchangeBits,
        String keyType, int keyBits, boolean trusted, boolean chainComplete, boolean expired, boolean notYetValid,
        boolean hostnameMatches, String signatureAlgorithm, Optional<Instant> notAfter,
        String mozillaLevel, List<String> mozillaAdvice) {

    public static TlsPosture unavailable() {
        return new TlsPosture(false, Set.of(), false, false, false, false, OptionalInt.empty(), "", 0, false, false,
                false, false, false, "", Optional.empty(), "non-compliant", List.of());
    }
}
