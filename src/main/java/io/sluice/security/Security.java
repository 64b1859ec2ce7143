package io.sluice.security;

import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A node's security, assembled once at start from its {@link SecuritySettings}: the authenticators
 * every HTTP request and WebSocket upgrade passes, the authorizer over the replicated ACLs, and
 * the {@link AccessControl} the interfaces ask. Off ({@link #disabled}), every request acts as
 * {@link Principal#ANONYMOUS} and nothing is checked.
 *
 * <p>Further authenticators (bearer tokens, WebSocket tickets, client certificates) join the chain
 * in {@link #create}, ahead of or after Basic.
 */
public final class Security {
    private static final Security DISABLED = new Security(false, null, AccessControl.DISABLED, null, AuditLog.DISABLED,
            new AuthenticationFailures(0, 1, () -> 0));

    private final boolean enabled;
    private final AclAuthorizer authorizer;
    private final AccessControl access;
    private final AuthenticatorChain authenticators;
    private final AuditLog audit;
    private final AuthenticationFailures failures;

    private Security(boolean enabled, AclAuthorizer authorizer, AccessControl access, AuthenticatorChain authenticators,
                     AuditLog audit, AuthenticationFailures failures) {
        this.audit = audit;
        this.failures = failures;
        this.enabled = enabled;
        this.authorizer = authorizer;
        this.access = access;
        this.authenticators = authenticators;
    }

    public static Security disabled() {
        return DISABLED;
    }

    /**
     * The node's security as {@code settings} ask: {@link #disabled} when off.
     *
     * @param users        the user of a name in the node's current metadata, or null
     * @param certificates the principal of a connection's verified client certificate
     */
    public static Security create(Vertx vertx, SecuritySettings settings, Function<String, ScramUser> users,
                                  CertificatePrincipals certificates) {
        if (!settings.enabled()) {
            return DISABLED;
        }
        AclAuthorizer authorizer = new AclAuthorizer(settings.superUsers(), settings.allowEveryoneIfNoAclFound());
        AuditLog audit = new AuditLog(settings.auditEnabled(), settings.auditMaxLinesPerSecond(), System::currentTimeMillis);
        List<Authenticator> chain = new ArrayList<>();
        chain.add(new BasicAuthenticator(new CredentialVerifier(vertx, users)));
        chain.add(new CertificateAuthenticator(certificates));
        return new Security(true, authorizer, new AccessControl(authorizer, audit), new AuthenticatorChain(chain), audit,
                new AuthenticationFailures(settings.authenticationFailuresMax(), settings.authenticationFailuresWindowMs(),
                        System::currentTimeMillis));
    }

    public boolean enabled() {
        return enabled;
    }

    /** Failed authentications per client IP: past their limit, an IP is refused unverified for a while. */
    public AuthenticationFailures failures() {
        return failures;
    }

    /** Where failed authentications and refusals are logged. */
    public AuditLog audit() {
        return audit;
    }

    public AccessControl access() {
        return access;
    }

    /** The authenticators, in order; null when security is off. */
    public AuthenticatorChain authenticators() {
        return authenticators;
    }

    /** The replicated ACLs changed (a new metadata version holds other ACLs): decisions are made on these now. */
    public void aclsChanged(List<AclBinding> acls) {
        if (authorizer != null) {
            authorizer.update(acls);
        }
    }
}
