package dev.vigil.sops;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.comments.CommentLine;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML store with go-yaml v3 semantics: multi-document, ordered mappings, unique keys, aliases
 * copied, '<<' kept as a literal key, plain scalars typed the Go way. Comments are read only when
 * asked for (comment regexes); they never change values or the MAC otherwise.
 */
final class YamlStore {

    private static final Resolver SNAKE_RESOLVER = new Resolver();

    private final Limits limits;
    private final boolean withComments;

    YamlStore(Limits limits, boolean withComments) {
        this.limits = limits;
        this.withComments = withComments;
    }

    ParsedDocument parse(String text) throws SopsException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(limits.maxAliases());
        options.setNestingDepthLimit(limits.maxDepth());
        options.setCodePointLimit(limits.maxBytes());
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(withComments);
        // A Composer over the shared Resolver: building a Yaml per document would recompile the resolver's
        // regular expressions every time, which dominated the cost of small documents.
        Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), SNAKE_RESOLVER, options);
        List<Branch> branches = new ArrayList<>();
        Branch metadata = null;
        Limits.Budget budget = limits.budget();
        try {
            while (composer.checkNode()) {
                Node root = composer.getNode();
                if (root == null) {
                    continue;
                }
                if (!(root instanceof MappingNode mapping)) {
                    throw invalidAt(root.getStartMark(), "YAML documents that are sequences or values are not supported");
                }
                Branch branch = mapping(mapping, budget, 1);
                Object sops = branch.get("sops");
                if (branch.containsKey("sops")) {
                    if (!(sops instanceof Branch meta)) {
                        throw invalidAt(root.getStartMark(), "the sops metadata is not a mapping");
                    }
                    if (metadata == null) {
                        metadata = meta;
                    }
                    branch.items.removeIf(i -> "sops".equals(i.key()));
                }
                branches.add(branch);
            }
        } catch (MarkedYAMLException e) {
            throw invalidAt(e.getProblemMark(), "YAML syntax error: " + e.getProblem());
        } catch (YAMLException e) {
            throw SopsException.invalid("YAML error: " + firstLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw SopsException.invalid("document is nested too deeply");
        } catch (RuntimeException e) {
            // SnakeYAML throws plain IllegalArgumentException for some malformed input (bad tags …)
            throw SopsException.invalid("YAML error: " + e.getClass().getSimpleName());
        }
        return new ParsedDocument(branches, metadata);
    }

    private Branch mapping(MappingNode node, Limits.Budget budget, int depth) throws SopsException {
        budget.node(depth);
        Branch branch = new Branch();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            comments(keyNode.getBlockComments(), branch);
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                throw invalidAt(keyNode.getStartMark(), "Tree contains a non-string key");
            }
            Object key = keyScalar.getTag().equals(Tag.MERGE) ? "<<" : scalar(keyScalar);
            if (!(key instanceof String k)) {
                throw invalidAt(keyNode.getStartMark(), "Tree contains a non-string key");
            }
            if (!seen.add(k)) {
                throw invalidAt(keyNode.getStartMark(), "mapping key \"" + printable(k) + "\" already defined");
            }
            branch.put(k, value(tuple.getValueNode(), budget, depth + 1));
            comments(tuple.getValueNode().getInLineComments(), branch);
            comments(keyNode.getInLineComments(), branch);
        }
        comments(node.getEndComments(), branch);
        return branch;
    }

    private Object value(Node node, Limits.Budget budget, int depth) throws SopsException {
        if (node instanceof MappingNode m) {
            return mapping(m, budget, depth);
        }
        if (node instanceof SequenceNode s) {
            budget.node(depth);
            List<Object> list = new ArrayList<>();
            for (Node item : s.getValue()) {
                if (withComments && item.getBlockComments() != null) {
                    for (CommentLine c : item.getBlockComments()) {
                        list.add(new Comment(commentText(c)));
                    }
                }
                list.add(value(item, budget, depth + 1));
            }
            return list;
        }
        budget.node(depth);
        return scalar((ScalarNode) node);
    }

    /** go-yaml typing: implicit plain scalars are resolved, quoted and block scalars are strings. */
    static Object scalar(ScalarNode node) throws SopsException {
        String value = node.getValue();
        Tag tag = node.getTag();
        boolean implicit = node.isPlain() && tag.equals(SNAKE_RESOLVER.resolve(NodeId.scalar, value, true));
        if (implicit) {
            return YamlScalars.resolvePlain(value);
        }
        if (tag.equals(Tag.BINARY)) {
            try {
                // Go's base64.StdEncoding skips line breaks and nothing else (the MIME decoder would skip any junk).
                return new String(Base64.getDecoder().decode(value.replace("\n", "").replace("\r", "")), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidAt(node.getStartMark(), "!!binary value is not base64");
            }
        }
        if (tag.equals(Tag.INT)) {
            Long l = YamlScalars.parseInt(value);
            if (l == null) {
                throw invalidAt(node.getStartMark(), "!!int value is not an integer");
            }
            return l;
        }
        if (tag.equals(Tag.FLOAT)) {
            Object f = YamlScalars.resolvePlain(value);
            if (f instanceof Number n) {
                return n.doubleValue();
            }
            throw invalidAt(node.getStartMark(), "!!float value is not a number");
        }
        if (tag.equals(Tag.BOOL) || tag.equals(Tag.NULL) || tag.equals(Tag.TIMESTAMP)) {
            return YamlScalars.resolvePlain(value);
        }
        return value;
    }

    private void comments(List<CommentLine> lines, Branch branch) {
        if (!withComments || lines == null) {
            return;
        }
        for (CommentLine line : lines) {
            if (line.getCommentType() != org.yaml.snakeyaml.comments.CommentType.BLANK_LINE) {
                branch.put(new Comment(commentText(line)), null);
            }
        }
    }

    private static String commentText(CommentLine line) {
        return line.getValue();
    }

    private static SopsException invalidAt(Mark mark, String message) {
        if (mark == null) {
            return SopsException.invalid(message);
        }
        return SopsException.invalid(message + " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1));
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
