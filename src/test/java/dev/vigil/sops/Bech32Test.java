package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bech32 with BIP-173's published test vectors (age uses Bech32 without BIP-173's 90-character limit), and Shamir's
 * secret sharing over GF(2^8) with the AES polynomial, as HashiCorp Vault's shamir package (which sops uses).
 */
class Bech32Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "A12UEL5L|a|",
            "a12uel5l|a|",
            "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs"
                    + "|an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio|",
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw|abcdef|00443214c74254b635cf84653a56d7c675be77df",
            "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w|split|c5f38b70305f519bf66d85fb6cf03058f3dde463ecd7918f2dc743918f2d",
            "?1ezyfcl|?|"})
    void bip173ValidStrings(String text, String hrp, String hex) {
        Bech32.Decoded d = Bech32.decode(text);
        assertThat(d.hrp()).isEqualTo(hrp);
        assertThat(HexFormat.of().formatHex(d.data())).isEqualTo(hex == null ? "" : hex);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pzry9x0s0muk|bad separator",
            "1pzry9x0s0muk|bad separator",
            "x1b4n0q5v|bad character",
            "li1dgmt3|bad separator",
            "A1G7SGD8|bad checksum",
            "10a06t8|bad separator",
            "1qzzfhee|bad separator",
            "A12uEL5L|mixed case",
            "a12uel5m|bad checksum"})
    void bip173InvalidStrings(String text, String reason) {
        assertThatThrownBy(() -> Bech32.decode(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }

    @Test
    void anInvalidCharacterInTheChecksum() {
        assertThatThrownBy(() -> Bech32.decode("de1lg7wt\u00ff")).hasMessage("bad character");
    }

    @Test
    void ageRecipientsRoundTrip() {
        String recipient = "age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5";
        Bech32.Decoded d = Bech32.decode(recipient);
        assertThat(d.hrp()).isEqualTo("age");
        assertThat(d.data()).hasSize(32);
        assertThat(Bech32.encode("age", d.data())).isEqualTo(recipient);
        // An identity is written upper-case; it decodes all the same.
        String identity = Bech32.encode("age-secret-key-", d.data()).toUpperCase(java.util.Locale.ROOT);
        assertThat(Bech32.decode(identity).hrp()).isEqualTo("age-secret-key-");
        assertThat(Bech32.decode(identity).data()).isEqualTo(d.data());
        Random random = new Random(7);
        for (int n : new int[] {0, 1, 2, 5, 31, 32, 33, 64}) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            assertThat(Bech32.decode(Bech32.encode("x", data)).data()).isEqualTo(data);
        }
    }

    @Test
    void paddingMustBeShortAndZero() {
        assertThat(Bech32.encode("a", new byte[] {(byte) 0xff})).isEqualTo("a1lu9cgf6y");
        assertThat(Bech32.decode("a1lu9cgf6y").data()).containsExactly(0xff);
        // Valid checksums over 5-bit groups 31, 29 (two padding bits "01") and 31, 28, 0 (a whole group of padding).
        assertThatThrownBy(() -> Bech32.decode("a1lacwuu8k")).isInstanceOf(IllegalArgumentException.class).hasMessage("bad padding");
        assertThatThrownBy(() -> Bech32.decode("a1luq25lfhf")).isInstanceOf(IllegalArgumentException.class).hasMessage("bad padding");
    }

    @Test
    void gf256ArithmeticUsesTheAesPolynomial() {
        assertThat(Shamir.mul(0x53, 0xCA)).isEqualTo(0x01);
        assertThat(Shamir.mul(0x02, 0x80)).isEqualTo(0x1B);
        assertThat(Shamir.mul(0x57, 0x83)).isEqualTo(0xC1);
        assertThat(Shamir.mul(0x57, 0x13)).isEqualTo(0xFE);
        assertThat(Shamir.mul(0, 0x13)).isZero();
        assertThat(Shamir.div(0x01, 0x53)).isEqualTo(0xCA);
        assertThat(Shamir.div(0xC1, 0x83)).isEqualTo(0x57);
        assertThatThrownBy(() -> Shamir.div(1, 0)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void sharesCombineFromAnyThresholdSubset() throws SopsException {
        byte[] secret = "a 32-byte sops data key, really!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[][] shares = Shamir.split(secret, 5, 3, new Random(42));
        assertThat(shares[0]).hasSize(secret.length + 1);
        assertThat(shares[4][secret.length]).isEqualTo((byte) 5);
        assertThat(Shamir.combine(List.of(shares[0], shares[1], shares[2]))).isEqualTo(secret);
        assertThat(Shamir.combine(List.of(shares[4], shares[2], shares[0]))).isEqualTo(secret);
        assertThat(Shamir.combine(List.of(shares[0], shares[1], shares[2], shares[3], shares[4]))).isEqualTo(secret);
        // Below the threshold the result is not the secret.
        assertThat(Shamir.combine(List.of(shares[0], shares[1]))).isNotEqualTo(secret);
        byte[][] two = Shamir.split(secret, 2, 2, new Random(1));
        assertThat(Shamir.combine(List.of(two[1], two[0]))).isEqualTo(secret);
    }

    @Test
    void badShareSetsAreRefused() {
        byte[][] shares = Shamir.split(new byte[] {1, 2, 3}, 3, 2, new Random(3));
        assertThatThrownBy(() -> Shamir.combine(List.of(shares[0]))).isInstanceOf(SopsException.class)
                .hasMessage("less than two Shamir parts")
                .extracting(e -> ((SopsException) e).errorClass()).isEqualTo(SopsException.ErrorClass.DATA_KEY_UNAVAILABLE);
        assertThatThrownBy(() -> Shamir.combine(List.of(new byte[] {1}, new byte[] {2}))).hasMessage("Shamir parts are too short");
        assertThatThrownBy(() -> Shamir.combine(List.of(shares[0], new byte[] {1, 2}))).hasMessage("Shamir parts have different lengths");
        assertThatThrownBy(() -> Shamir.combine(List.of(shares[1], shares[1].clone()))).hasMessage("duplicate Shamir part");
        assertThat(new byte[] {9, 9}).satisfies(ok -> assertThat(Shamir.combine(List.of(new byte[] {9, 1}, new byte[] {9, 2})))
                .containsExactly(9));
    }
}
