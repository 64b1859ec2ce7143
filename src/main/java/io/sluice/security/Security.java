package io.sluice.security;

import io.sluice.common.Clock;
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
 * <p>The chain, in order: HTTP Basic, bearer JWTs (when {@code security.jwt.*} names keys),
 * WebSocket tickets (upgrades only), the TLS client certificate. The first whose kind of credential
 * the request carries decides. The WebSocket tickets and the {@code Origin} policy exist with
 * security off too: a browser's code that asks for a ticket works unchanged against such a node.
 */
public final class Security {
    private static final Security DISABLED = new Security(false, null, AccessControl.DISABLED, null, null,
            new OriginPolicy(false, List.of()), AuditLog.DISABLED, new AuthenticationFailures(0, 1, () -> 0));

    private final boolean enabled;
    private final AclAuthorizer authorizer;
    private final AccessControl access;
    private final AuthenticatorChain authenticators;
    private final WebSocketTickets tickets;
    private final OriginPolicy origins;
    private final AuditLog audit;
    private final AuthenticationFailures failures;

    private Security(boolean enabled, AclAuthorizer authorizer, AccessControl access, AuthenticatorChain authenticators,
                     WebSocketTickets tickets, OriginPolicy origins, AuditLog audit, AuthenticationFailures failures) {
        this.tickets = tickets;
        this.origins = origins;
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
                                  CertificatePrincipals certificates, Clock clock) {
        WebSocketTickets tickets = new WebSocketTickets(vertx, clock, settings.wsTicketTtlMs());
        OriginPolicy origins = new OriginPolicy(settings.enabled(), settings.wsAllowedOrigins());
        if (!settings.enabled()) {
            return new Security(false, null, AccessControl.DISABLED, null, tickets, origins, AuditLog.DISABLED,
                    new AuthenticationFailures(0, 1, () -> 0));
        }
        AclAuthorizer authorizer = new AclAuthorizer(settings.superUsers(), settings.allowEveryoneIfNoAclFound());
        AuditLog audit = new AuditLog(settings.auditEnabled(), settings.auditMaxLinesPerSecond(), clock::wallMillis);
        List<Authenticator> chain = new ArrayList<>();
        chain.add(new BasicAuthenticator(new CredentialVerifier(vertx, users)));
        JwtSettings jwt = settings.jwt();
        if (jwt.configured()) {
            JwtKeys keys = new JwtKeys(vertx, jwt);
            JwksRefresher jwks = jwt.jwksUrl() == null ? null
                    : new JwksRefresher(vertx, jwt.jwksUrl(), jwt.jwksRefreshMs(), keys, clock);
            chain.add(new JwtAuthenticator(keys, jwks, jwt));
        }
        chain.add(new TicketAuthenticator(tickets));
        chain.add(new CertificateAuthenticator(certificates));
        return new Security(true, authorizer, new AccessControl(authorizer, audit), new AuthenticatorChain(chain), tickets,
                origins, audit, new AuthenticationFailures(settings.authenticationFailuresMax(),
                        settings.authenticationFailuresWindowMs(), clock::wallMillis));
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

    /** The node's WebSocket tickets; null only before the node started. */
    public WebSocketTickets tickets() {
        return tickets;
    }

    /** Which Origins may open WebSockets. */
    public OriginPolicy origins() {
        return origins;
    }

    /** The replicated ACLs changed (a new metadata version holds other ACLs): decisions are made on these now. */
    public void aclsChanged(List<AclBinding> acls) {
        if (authorizer != null) {
            authorizer.update(acls);
        }
    }
}
