package dev.vigil.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The help texts, made from what the commands declare; nothing here is written per command. */
final class Help {

    static final Option HELP = Option.flag("--help", "show this help and exit (also -h)");
    static final String EXIT_CODES = "Exit codes: 0 success; 1 the command ran and failed (decryption failure, grade below "
            + "--min-grade, site down); 2 usage error.";

    private Help() {
    }

    /** {@code vigil --help}: every command with its summary. */
    static String overview(Collection<Command> commands, String version) {
        StringBuilder text = new StringBuilder();
        text.append("Vigil ").append(version).append(": Kubernetes security baselines and Sops secrets.\n\n");
        text.append("usage: vigil COMMAND [ARGS...]   run one command and exit (no cluster needed)\n");
        text.append("       vigil                     with no arguments: run the operator against the current cluster\n\n");
        text.append("Commands:\n");
        int width = commands.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Command c : commands) {
            text.append("  ").append(pad(c.name(), width)).append("   ").append(c.summary()).append('\n');
        }
        text.append("\nOptions:\n");
        text.append("  -h, --help      this text\n");
        text.append("  --version       print the version\n\n");
        text.append("Run 'vigil help COMMAND' or 'vigil COMMAND --help' for a command's options.\n");
        text.append(EXIT_CODES).append('\n');
        return text.toString();
    }

    /** {@code vigil help COMMAND}: usage, summary, options, details. */
    static String command(Command command) {
        StringBuilder text = new StringBuilder();
        text.append(usageLine(command)).append('\n');
        if (!command.summary().isEmpty()) {
            text.append('\n').append(capitalized(command.summary())).append('\n');
        }
        List<Option> options = new ArrayList<>(command.options());
        options.add(HELP);
        text.append("\nOptions:\n");
        int width = options.stream().mapToInt(o -> o.label().length()).max().orElse(0);
        for (Option o : options) {
            text.append("  ").append(pad(o.label(), width)).append("   ").append(o.help())
                    .append(o.repeatable() ? " (repeatable)" : "").append('\n');
        }
        if (!command.details().isEmpty()) {
            text.append('\n').append(command.details().strip()).append('\n');
        }
        return text.toString();
    }

    static String usageLine(Command command) {
        return "usage: vigil " + command.usage();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1) + (s.endsWith(".") ? "" : ".");
    }
}
