package io.sluice.group;

import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.TopicMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The topics a member reads: names, and patterns (an entry with a regex metacharacter such as
 * {@code metrics.*} is a Java regex over whole topic names). Patterns never match internal
 * topics; a topic created later that matches joins the subscription at the next rebalance.
 */
public final class Subscription {
    private static final Pattern META = Pattern.compile("[*?+\\[\\](){}|^$\\\\]");

    private final List<String> entries;
    private final Set<String> names = new TreeSet<>();
    private final List<Pattern> patterns = new ArrayList<>();

    private Subscription(List<String> entries) {
        this.entries = List.copyOf(entries);
        for (String e : entries) {
            if (META.matcher(e).find()) {
                try {
                    patterns.add(Pattern.compile(e));
                } catch (PatternSyntaxException ex) {
                    throw new IllegalArgumentException("topic pattern '" + e + "' is not a valid regex: " + ex.getDescription());
                }
            } else {
                names.add(e);
            }
        }
    }

    public static Subscription of(List<String> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a subscription needs at least one topic or pattern");
        }
        return new Subscription(entries);
    }

    public List<String> entries() {
        return entries;
    }

    public Set<String> names() {
        return names;
    }

    public boolean hasPatterns() {
        return !patterns.isEmpty();
    }

    /** The existing topics this subscription covers now. */
    public Set<String> resolve(ClusterMetadata metadata) {
        Set<String> out = new TreeSet<>();
        for (TopicMetadata t : metadata.topics().values()) {
            if (names.contains(t.name())) {
                out.add(t.name());
            } else if (!t.internal()) {
                for (Pattern p : patterns) {
                    if (p.matcher(t.name()).matches()) {
                        out.add(t.name());
                        break;
                    }
                }
            }
        }
        return out;
    }
}
