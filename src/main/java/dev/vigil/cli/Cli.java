package dev.vigil.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Dispatches {@code vigil <command> ...} to the registered commands. */
public final class Cli {

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        register(new HelpCommand());
        register(DecryptCommand.decrypt());
        register(DecryptCommand.verify());
        register(new SealCommand());
        register(new RekeyCommand());
        register(new ScanCommand());
        register(new ReportCommand());
    }

    private Cli() {
    }

    private static void register(Command command) {
        COMMANDS.put(command.name(), command);
    }

    public static boolean isCommand(String word) {
        return COMMANDS.containsKey(word);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("unknown command: " + args[0]);
            return Command.EXIT_USAGE;
        }
        return command.run(List.of(Arrays.copyOfRange(args, 1, args.length)), out, err);
    }

    static final class HelpCommand implements Command {
        @Override
        public String name() {
            return "help";
        }

        @Override
        public String usage() {
            return "help                      this text";
        }

        @Override
        public int run(List<String> args, PrintStream out, PrintStream err) {
            out.println("usage: vigil [command] ...   (no command: run the operator)");
            COMMANDS.values().forEach(c -> out.println("  " + c.usage()));
            return EXIT_OK;
        }
    }
}
