package io.aiotedge.cli;

import io.aiotedge.core.auth.PasswordHasher;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "users", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "User tools.", subcommands = UsersCommand.Hash.class)
final class UsersCommand {

    @Command(name = "hash", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Print a password hash for mqtt.users[].passwordHash.",
                    "Reads the password from the terminal (asked twice) or, with --password-stdin, from the first line of stdin."})
    static final class Hash implements Callable<Integer> {
        @Option(names = "--password-stdin", description = "Read the password from standard input.")
        boolean fromStdin;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            char[] pw = fromStdin ? readStdin() : readConsole();
            try {
                if (pw.length == 0) {
                    throw new ParameterException(spec.commandLine(), "The password must not be empty.");
                }
                spec.commandLine().getOut().println(new PasswordHasher().hash(pw));
                return 0;
            } finally {
                PasswordHasher.clear(pw);
            }
        }

        private char[] readStdin() throws IOException {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? new char[0] : line.toCharArray();
        }

        private char[] readConsole() {
            Console console = System.console();
            if (console == null) {
                throw new ParameterException(spec.commandLine(), "No terminal: use --password-stdin.");
            }
            char[] a = console.readPassword("Password: ");
            char[] b = console.readPassword("Again: ");
            if (a == null || b == null || !Arrays.equals(a, b)) {
                PasswordHasher.clear(a);
                PasswordHasher.clear(b);
                throw new ParameterException(spec.commandLine(), "The passwords differ.");
            }
            PasswordHasher.clear(b);
            return a;
        }
    }
}
