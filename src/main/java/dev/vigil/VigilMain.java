package dev.vigil;

import dev.vigil.cli.Cli;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the single artifact: with no arguments it runs the operator; with any argument it
 * is the command line ({@code decrypt}, {@code verify}, {@code seal}, {@code scan}, {@code help},
 * {@code --help}, {@code --version}), which runs and exits without starting Quarkus, so it needs no
 * cluster and starts in a fraction of the operator's time. A mistyped command is a usage error,
 * never an operator started by accident.
 */
@QuarkusMain
public class VigilMain {

    public static void main(String... args) {
        if (Cli.isCommandLine(args)) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        Quarkus.run(args);
    }
}
