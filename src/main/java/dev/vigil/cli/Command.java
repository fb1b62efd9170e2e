package dev.vigil.cli;

import java.io.PrintStream;
import java.util.List;

/** One sub-command of the command line. Returns the process exit code. */
public interface Command {

    int EXIT_OK = 0;
    int EXIT_FAILURE = 1;
    int EXIT_USAGE = 2;

    String name();

    String usage();

    int run(List<String> args, PrintStream out, PrintStream err);
}
