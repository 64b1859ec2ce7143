package io.sluice.tools.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.net.URI;
import java.util.List;

/**
 * The checks of option values that picocli's types cannot express (lower bounds, a fixed set of
 * words, a URL with a host and a port). A failed check is a usage error: picocli prints it with the
 * command's usage and exits 2.
 */
final class Checks {
    private Checks() {
    }

    static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + ", got " + value);
        }
    }

    static void oneOf(CommandSpec spec, String option, String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be one of " + String.join(", ", allowed)
                    + ", got '" + value + "'");
        }
    }

    static void hostAndPort(CommandSpec spec, String option, URI url) {
        if (url.getHost() == null || url.getPort() < 0) {
            throw new ParameterException(spec.commandLine(), option + " needs a host and a port, e.g. http://127.0.0.1:8080");
        }
    }
}
