package io.sluice.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Kafka's {@code ssl.principal.mapping.rules}: how the subject of a client certificate (its distinguished
 * name in RFC 2253 form, {@code CN=alice,OU=eng,O=Acme}) becomes a principal's name. A comma-separated
 * list, tried in order, of
 * <ul>
 *   <li>{@code RULE:pattern/replacement/} with an optional {@code L} or {@code U} after the last slash:
 *   when the regular expression matches the whole name, the name is rewritten with the replacement
 *   ({@code $1} for a group; a reference to a group the pattern lacks is kept as text), then lower- or
 *   upper-cased. A {@code /} inside the pattern or replacement is written {@code \/};</li>
 *   <li>{@code DEFAULT}: the whole distinguished name.</li>
 * </ul>
 * A name no rule maps has no principal. The same rules give the same names as Kafka's
 * {@code SslPrincipalMapper} (a test compares them), so a cluster's ACLs carry over. Immutable.
 */
public final class PrincipalMappingRules {
    /** {@code $n}, {@code $nn}...: a numbered group reference in a replacement. */
    private static final Pattern GROUP_REFERENCE = Pattern.compile("\\$(\\d+)");

    private final List<Rule> rules;
    private final String text;

    private PrincipalMappingRules(List<Rule> rules, String text) {
        this.rules = List.copyOf(rules);
        this.text = text;
    }

    /** One rule: {@code pattern == null} for DEFAULT. */
    private record Rule(Pattern pattern, String replacement, char caseChange) {
        Optional<String> apply(String name) {
            if (pattern == null) {
                return Optional.of(name);
            }
            Matcher m = pattern.matcher(name);
            if (!m.matches()) {
                return Optional.empty();
            }
            String mapped = m.replaceAll(literalMissingGroups(replacement, m.groupCount()));
            return Optional.of(switch (caseChange) {
                case 'L' -> mapped.toLowerCase(Locale.ENGLISH);
                case 'U' -> mapped.toUpperCase(Locale.ENGLISH);
                default -> mapped;
            });
        }
    }

    /**
     * Parses a rule list.
     *
     * @throws IllegalArgumentException naming the rule that cannot be read
     */
    public static PrincipalMappingRules parse(String text) {
        List<Rule> rules = new ArrayList<>();
        int i = skipSpaces(text, 0);
        while (i < text.length()) {
            int end;
            if (text.startsWith("DEFAULT", i)) {
                rules.add(new Rule(null, null, ' '));
                end = i + "DEFAULT".length();
            } else if (text.startsWith("RULE:", i)) {
                int patternEnd = slash(text, i + "RULE:".length());
                int replacementEnd = patternEnd < 0 ? -1 : slash(text, patternEnd + 1);
                if (replacementEnd < 0) {
                    throw invalid(text, i, "a rule is RULE:pattern/replacement/ with an optional L or U");
                }
                String pattern = text.substring(i + "RULE:".length(), patternEnd);
                String replacement = text.substring(patternEnd + 1, replacementEnd);
                end = replacementEnd + 1;
                char caseChange = ' ';
                if (end < text.length() && (text.charAt(end) == 'L' || text.charAt(end) == 'U')) {
                    caseChange = text.charAt(end++);
                }
                try {
                    rules.add(new Rule(Pattern.compile(pattern), replacement, caseChange));
                } catch (PatternSyntaxException e) {
                    throw invalid(text, i, "the pattern is not a regular expression: " + e.getDescription());
                }
            } else {
                throw invalid(text, i, "expected RULE:pattern/replacement/[LU] or DEFAULT");
            }
            i = skipSpaces(text, end);
            if (i < text.length()) {
                if (text.charAt(i) != ',') {
                    throw invalid(text, i, "rules are separated by commas");
                }
                i = skipSpaces(text, i + 1);
            }
        }
        return new PrincipalMappingRules(rules, text.trim());
    }

    /** The principal name of {@code distinguishedName} by the first rule that maps it, if any does. */
    public Optional<String> map(String distinguishedName) {
        for (Rule rule : rules) {
            Optional<String> name = rule.apply(distinguishedName);
            if (name.isPresent()) {
                return name;
            }
        }
        return Optional.empty();
    }

    /** The index of the next unescaped '/' from {@code from}, or -1. */
    private static int slash(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '/') {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * The replacement with every reference to a group the pattern does not have escaped, so that it is
     * kept as text (Kafka's rule) instead of failing. Java reads {@code $12} as group 12 only when the
     * pattern has 12 groups, else as group 1 followed by "2"; only the first digit can be missing.
     */
    private static String literalMissingGroups(String replacement, int groups) {
        Matcher m = GROUP_REFERENCE.matcher(replacement);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (escaped(replacement, m.start())) {
                continue;
            }
            int first = m.group(1).charAt(0) - '0';
            out.append(replacement, last, m.start());
            if (first > groups) {
                out.append('\\');
            }
            out.append(m.group());
            last = m.end();
        }
        return out.append(replacement.substring(last)).toString();
    }

    /** Whether the character at {@code index} follows an odd number of backslashes. */
    private static boolean escaped(String text, int index) {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static IllegalArgumentException invalid(String text, int at, String why) {
        return new IllegalArgumentException("principal mapping rules: " + why + " at position " + at + " of '" + text + "'");
    }

    @Override
    public String toString() {
        return text;
    }
}
