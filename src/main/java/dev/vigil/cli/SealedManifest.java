package dev.vigil.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A SealedSecret manifest whose {@code spec.document} is a literal block ({@code document: |}), as
 * {@code vigil seal} writes it: the document can be taken out and put back with every other byte of the
 * manifest unchanged.
 */
record SealedManifest(List<String> lines, int from, int to, String indent, String document, String format, String binaryKey) {

    /** The manifest, or null when {@code text} is not a SealedSecret with a literal-block spec.document. */
    static SealedManifest parse(String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(16 * 1024 * 1024);
            root = new Yaml(options).compose(new java.io.StringReader(text));
        } catch (RuntimeException e) {
            return null;
        }
        if (!(root instanceof MappingNode manifest) || !"SealedSecret".equals(scalar(manifest, "kind"))
                || !(value(manifest, "spec") instanceof MappingNode spec) || !(value(spec, "document") instanceof ScalarNode document)
                || document.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.LITERAL) {
            return null;
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int from = document.getStartMark().getLine() + 1;
        int to = from;
        int contentIndent = -1;
        while (to < lines.size()) {
            String line = lines.get(to);
            if (!line.isBlank()) {
                int in = line.length() - line.stripLeading().length();
                if (contentIndent < 0) {
                    contentIndent = in;
                } else if (in < contentIndent) {
                    break;
                }
            }
            to++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        if (contentIndent <= 0) {
            return null;
        }
        String indent = " ".repeat(contentIndent);
        StringBuilder content = new StringBuilder();
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            content.append(line.isBlank() ? "" : line.substring(contentIndent)).append('\n');
        }
        if (!content.toString().equals(document.getValue())) {
            return null; // chomping or indentation indicators this simple reading does not reproduce
        }
        return new SealedManifest(lines, from, to, indent, document.getValue(), scalar(spec, "format"), scalar(spec, "binaryKey"));
    }

    /** The manifest with {@code newDocument} in place of the old one. */
    String with(String newDocument) {
        List<String> out = new ArrayList<>(lines.subList(0, from));
        String body = newDocument.endsWith("\n") ? newDocument.substring(0, newDocument.length() - 1) : newDocument;
        for (String line : body.split("\n", -1)) {
            out.add(line.isEmpty() ? "" : indent + line);
        }
        out.addAll(lines.subList(to, lines.size()));
        return String.join("\n", out);
    }

    private static Node value(MappingNode map, String key) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private static String scalar(MappingNode map, String key) {
        return value(map, key) instanceof ScalarNode s ? s.getValue() : null;
    }
}
