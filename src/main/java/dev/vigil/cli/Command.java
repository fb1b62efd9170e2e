package dev.vigil.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One sub-command of the command line. It declares its usage line, a one-line summary, its options
 * (parsed by {@link Args#parse(List, List)} and listed by {@code vigil help COMMAND}) and free text
 * for examples; {@link Cli} answers {@code COMMAND --help}/{@code -h} from these, so no command handles
 * help itself. A command reports a usage error by throwing {@link Args.UsageException}: {@link Cli}
 * prints what was wrong and the command's usage, and exits {@link #EXIT_USAGE}.
 */
public interface Command {

    int EXIT_OK = 0;
    int EXIT_FAILURE = 1;
    int EXIT_USAGE = 2;

    String name();

    /** The synopsis, starting with the command's name: {@code "decrypt --key FILE... [--json] DOCUMENT"}. */
    String usage();

    /** What the command does, in one line, for the list {@code vigil --help} prints. */
    default String summary() {
        return "";
    }

    /** Every option the command accepts, with its help text. */
    default List<Option> options() {
        return List.of();
    }

    /** Text printed after the options by {@code COMMAND --help}: examples, exit codes. */
    default String details() {
        return "";
    }

    int run(List<String> args, PrintStream out, PrintStream err) throws Args.UsageException;
}
