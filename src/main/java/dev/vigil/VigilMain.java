package dev.vigil;

import dev.vigil.cli.Cli;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the single artifact: with no arguments it runs the operator; with a command
 * ({@code decrypt}, {@code verify}, {@code seal}, {@code scan}) it runs that command and exits
 * without starting Quarkus, so the command line needs no cluster.
 */
@QuarkusMain
public class VigilMain {

    public static void main(String... args) {
        if (args.length > 0 && Cli.isCommand(args[0])) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        Quarkus.run(args);
    }
}
