package dev.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Dispatches {@code vigil COMMAND ...} to the registered commands and answers the help every
 * command gets for free: {@code vigil --help}/{@code -h}/{@code help}, {@code vigil help COMMAND},
 * {@code COMMAND --help}/{@code -h}, {@code --version}. A usage error (an unknown command or option, a
 * missing argument) prints what was wrong and the command's usage on stderr and exits 2.
 */
public final class Cli {

    /**
     * The commands by name, made on first use: a command's classes (Jackson for scan's JSON, SnakeYAML for
     * seal) load only when that command runs, which keeps the others' start-up short.
     */
    private static final Map<String, Supplier<Command>> COMMANDS = new LinkedHashMap<>();

    static {
        register("decrypt", DecryptCommand::decrypt);
        register("verify", DecryptCommand::verify);
        register("seal", SealCommand::new);
        register("rekey", RekeyCommand::new);
        register("scan", ScanCommand::new);
        register("admission", AdmissionCommand::new);
        register("tls-config", TlsConfigCommand::new);
        register("report", ReportCommand::new);
        register("help", HelpCommand::new);
    }

    private Cli() {
    }

    private static void register(String name, Supplier<Command> command) {
        COMMANDS.put(name, command);
    }

    private static List<Command> all() {
        return COMMANDS.values().stream().map(Supplier::get).toList();
    }

    private static Command command(String name) {
        Supplier<Command> command = COMMANDS.get(name);
        return command == null ? null : command.get();
    }

    /** Whether these arguments are a command line rather than the operator's (which takes none). */
    public static boolean isCommandLine(String[] args) {
        return args.length > 0;
    }

    public static boolean isCommand(String word) {
        return COMMANDS.containsKey(word);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || isHelp(args[0])) {
            out.print(Help.overview(all(), version()));
            return Command.EXIT_OK;
        }
        if (args[0].equals("--version")) {
            out.println("vigil " + version());
            return Command.EXIT_OK;
        }
        Command command = command(args[0]);
        if (command == null) {
            err.println("usage error: unknown command '" + args[0] + "'"
                    + Args.nearest(args[0], COMMANDS.keySet()).map(n -> " (did you mean '" + n + "'?)").orElse(""));
            err.println("usage: vigil COMMAND [ARGS...]; commands: " + String.join(", ", COMMANDS.keySet()));
            err.println("Run 'vigil --help' for what each does.");
            return Command.EXIT_USAGE;
        }
        List<String> rest = List.of(Arrays.copyOfRange(args, 1, args.length));
        if (asksForHelp(command, rest)) {
            out.print(Help.command(command));
            return Command.EXIT_OK;
        }
        try {
            return command.run(rest, out, err);
        } catch (Args.UsageException e) {
            return usageError(command, e.getMessage(), err);
        }
    }

    /**
     * Reports a usage error for {@code command}: what was wrong, its usage line, where its options are
     * described. Returns {@link Command#EXIT_USAGE}, for commands that report the error themselves.
     */
    static int usageError(Command command, String message, PrintStream err) {
        err.println("usage error: " + message);
        err.println(Help.usageLine(command));
        err.println("Run 'vigil " + command.name() + " --help' for the options.");
        return Command.EXIT_USAGE;
    }

    private static boolean isHelp(String word) {
        return word.equals("--help") || word.equals("-h");
    }

    /** --help or -h where an option may stand: not as another option's value, not after "--". */
    static boolean asksForHelp(Command command, List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                return false;
            }
            if (isHelp(arg)) {
                return true;
            }
            boolean takesValue = command.options().stream().anyMatch(o -> o.takesValue() && o.name().equals(arg));
            if (takesValue) {
                i++;
            }
        }
        return false;
    }

    /** The project version, written into the jar by the build (Maven resource filtering). */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    static final class HelpCommand implements Command {
        @Override
        public String name() {
            return "help";
        }

        @Override
        public String usage() {
            return "help [COMMAND]";
        }

        @Override
        public String summary() {
            return "show what a command does and its options";
        }

        @Override
        public int run(List<String> args, PrintStream out, PrintStream err) throws Args.UsageException {
            if (args.isEmpty()) {
                out.print(Help.overview(all(), version()));
                return EXIT_OK;
            }
            if (args.size() > 1) {
                throw new Args.UsageException("expected at most one COMMAND");
            }
            Command command = command(args.get(0));
            if (command == null) {
                throw new Args.UsageException("unknown command '" + args.get(0) + "'"
                        + Args.nearest(args.get(0), COMMANDS.keySet()).map(n -> " (did you mean '" + n + "'?)").orElse("")
                        + "; commands: " + String.join(", ", COMMANDS.keySet()));
            }
            out.print(Help.command(command));
            return EXIT_OK;
        }
    }
}
