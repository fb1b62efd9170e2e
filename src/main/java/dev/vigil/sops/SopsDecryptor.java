package dev.vigil.sops;

import dev.vigil.sops.SopsException.ErrorClass;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Decrypts a Sops document exactly as {@code sops decrypt} does, MAC included. */
public final class SopsDecryptor {

    private SopsDecryptor() {
    }

    public static DecryptedDocument decrypt(byte[] document, SopsFormat format, SopsKeyring keys) throws SopsException {
        return decrypt(document, format, keys, Limits.DEFAULT);
    }

    static DecryptedDocument decrypt(byte[] document, SopsFormat format, SopsKeyring keys, Limits limits) throws SopsException {
        try {
            return decryptBounded(document, format, keys, limits);
        } catch (Metadata.EncryptionRules.RegexTooSlow e) {
            throw SopsException.invalid(e.getMessage());
        }
    }

    private static DecryptedDocument decryptBounded(byte[] document, SopsFormat format, SopsKeyring keys, Limits limits)
            throws SopsException {
        limits.checkSize(document.length);
        ParsedDocument parsed = parse(document, format, limits, false);
        Metadata metadata = Metadata.from(parsed.metadata());
        if (metadata.rules().usesComments() && format == SopsFormat.YAML) {
            parsed = parse(document, format, limits, true);
        }
        DataKeys.Recovered dataKey = DataKeys.recover(metadata, keys);
        TreeDecryptor walker = new TreeDecryptor(dataKey.key(), metadata, format == SopsFormat.BINARY);
        List<Object> documents = new ArrayList<>();
        List<DecryptedDocument.Protection> protection = new ArrayList<>();
        for (Branch branch : parsed.branches()) {
            documents.add(walker.decrypt(branch));
            protection.add(walker.protection());
        }
        verifyMac(metadata, dataKey.key(), walker.computedMac());
        byte[] binary = null;
        if (format == SopsFormat.BINARY) {
            Object data = ((Map<?, ?>) documents.get(0)).get("data");
            binary = data instanceof byte[] b ? b : String.valueOf(data).getBytes(StandardCharsets.UTF_8);
            documents = List.of();
        }
        return new DecryptedDocument(format, documents, binary, String.join(",", dataKey.openedBy()), metadata.lastModified(),
                List.copyOf(dataKey.sources()), List.copyOf(protection), metadata.macOnlyEncrypted());
    }

    /** The parsed stores of a document, without decrypting anything (for reading and rewriting its metadata). */
    static ParsedDocument parseForMetadata(byte[] document, SopsFormat format) throws SopsException {
        Limits.DEFAULT.checkSize(document.length);
        return parse(document, format, Limits.DEFAULT, false);
    }

    private static ParsedDocument parse(byte[] document, SopsFormat format, Limits limits, boolean comments) throws SopsException {
        ParsedDocument parsed = read(document, format, limits, comments);
        if (parsed.metadata() == null) {
            throw SopsException.invalid("sops metadata not found");
        }
        return parsed;
    }

    /** The store's reading, with or without sops metadata. */
    static ParsedDocument read(byte[] document, SopsFormat format, Limits limits, boolean comments) throws SopsException {
        return switch (format) {
            case YAML -> new YamlStore(limits, comments).parse(text(document));
            case JSON -> new JsonStore(limits).parse(document);
            case DOTENV -> new DotenvStore(limits).parse(text(document));
            case INI -> new IniStore(limits).parse(text(document));
            case BINARY -> new BinaryStore(limits).parse(document);
        };
    }

    private static void verifyMac(Metadata metadata, byte[] dataKey, String computed) throws SopsException {
        if (metadata.mac().isEmpty()) {
            throw new SopsException(ErrorClass.MAC_MISMATCH, "MAC mismatch. File has no MAC");
        }
        String stored;
        try {
            byte[] aad = GoFormat.rfc3339(OffsetDateTime.parse(metadata.lastModified())).getBytes(StandardCharsets.UTF_8);
            stored = ValueCipher.decrypt(metadata.mac().get(), dataKey, aad).text();
        } catch (GeneralSecurityException | IllegalArgumentException | DateTimeParseException e) {
            throw new SopsException(ErrorClass.MAC_MISMATCH, "the stored MAC cannot be decrypted (was lastmodified changed?)");
        }
        // Constant time: how much of a guessed MAC matches must not show in how long the comparison takes.
        if (!MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8), computed.getBytes(StandardCharsets.UTF_8))) {
            throw new SopsException(ErrorClass.MAC_MISMATCH, "MAC mismatch: the document was changed after it was encrypted");
        }
    }

    private static String text(byte[] bytes) throws SopsException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw SopsException.invalid("document is not valid UTF-8");
        }
    }

    /** What {@code sops decrypt} prints for a text store (binary documents: use {@link DecryptedDocument#binary()}). */
    public static String render(DecryptedDocument document) {
        return CleartextWriter.render(document);
    }
}
