package io.sluice.testing;

import io.sluice.common.Confinement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Fails a test during which a thread-confinement check fired ({@link Confinement}), wherever it
 * fired. A check that fires on a Vert.x thread throws into Vert.x, which only logs it and carries
 * on; the test might still pass. Checked after each test (its {@code @AfterEach} included) and
 * after each class (its {@code @AfterAll}: clusters shared by a class stop there).
 *
 * <p>Registered for every test through {@code META-INF/services} (autodetection is on in
 * {@code junit-platform.properties}). A test that provokes violations on purpose says so with
 * {@link ProvokesConfinementViolations}.
 */
public final class FailOnConfinementViolations implements AfterEachCallback, AfterAllCallback {
    /** Violations already reported (or expected), in this JVM: tests run one at a time. */
    private static final AtomicLong ACCOUNTED = new AtomicLong();

    @Override
    public void afterEach(ExtensionContext context) {
        boolean expected = context.getTestMethod().map(m -> m.isAnnotationPresent(ProvokesConfinementViolations.class))
                .orElse(false);
        account(context, expected);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        account(context, false);
    }

    private static void account(ExtensionContext context, boolean expected) {
        long now = Confinement.violations();
        long before = ACCOUNTED.getAndSet(now);
        if (now > before && !expected) {
            throw new AssertionError((now - before) + " thread-confinement violation(s) in " + context.getDisplayName()
                    + " (or just before it); the last one is the cause", Confinement.lastViolation());
        }
    }
}
