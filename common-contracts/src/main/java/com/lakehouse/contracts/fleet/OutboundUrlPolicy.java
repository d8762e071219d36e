package com.lakehouse.contracts.fleet;

import com.lakehouse.contracts.error.ApiException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Where a request may make a daemon call: only the fleet's own configured daemons ({@link FleetConfig}) and the
 * bases of {@code lakehouse.fleet.outbound-allow-list}. Anything else is a 400 naming the field.
 *
 * <p>The check is a plain comparison of scheme, host and port with the configured bases, with no DNS lookup and
 * no address normalization of its own. An address form that merely <em>means</em> a loopback port
 * ({@code 2130706433}, {@code 0x7f.1}, {@code 017700000001}, {@code [::1]}, {@code [::ffff:127.0.0.1]}, {@code 0.0.0.0},
 * {@code localhost}) never equals the configured {@code 127.0.0.1}, so it is refused; so is every other scheme
 * ({@code file:}, {@code gopher:}, {@code ftp:}), userinfo ({@code http://fleet@evil}), a fragment, {@code ..} path
 * segments, and anything {@link URI} cannot parse strictly. Callers must not follow redirects (a redirect target
 * would escape this check).
 */
public final class OutboundUrlPolicy {
    private record Base(String scheme, String host, int port, String path) {
    }

    private final List<Base> bases;
    private final List<String> described;

    public OutboundUrlPolicy(Collection<String> allowedBaseUrls) {
        List<Base> b = new ArrayList<>();
        List<String> d = new ArrayList<>();
        for (String raw : allowedBaseUrls) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            URI u;
            try {
                u = strict(raw.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("lakehouse.fleet: '" + raw + "' is not an http(s) base URL: " + e.getMessage());
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
            b.add(new Base(u.getScheme().toLowerCase(Locale.ROOT), u.getHost().toLowerCase(Locale.ROOT), port(u), path));
            d.add(u.getScheme() + "://" + u.getHost() + ":" + port(u) + path);
        }
        this.bases = List.copyOf(b);
        this.described = List.copyOf(d);
    }

    /** The fleet's eleven daemons plus the configured allow-list. */
    public static OutboundUrlPolicy of(FleetConfig fleet) {
        List<String> urls = new ArrayList<>();
        Daemons.ALL.forEach(d -> urls.add(Daemons.url(fleet, d.name())));
        fleet.outboundAllowList().ifPresent(urls::addAll);
        return new OutboundUrlPolicy(urls);
    }

    /**
     * The URL as given when it is allowed; otherwise {@link ApiException#badField} naming {@code field}.
     */
    public String require(String field, String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badField(field, field + " must be an http(s) URL");
        }
        URI u;
        try {
            u = strict(url.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(field, field + " is not allowed: " + e.getMessage());
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost().toLowerCase(Locale.ROOT);
        int port = port(u);
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        for (Base b : bases) {
            if (b.scheme().equals(scheme) && b.host().equals(host) && b.port() == port
                    && (b.path().isEmpty() || path.equals(b.path()) || path.startsWith(b.path() + "/"))) {
                return url.strip();
            }
        }
        throw ApiException.badField(field, field + " is not allowed: " + scheme + "://" + u.getRawAuthority()
                + " is neither one of the fleet's daemons nor in lakehouse.fleet.outbound-allow-list");
    }

    /** The allowed bases, for messages and docs. */
    public List<String> allowed() {
        return described;
    }

    /** Parses strictly: http(s), a server-based authority with a host, no userinfo, no fragment, no dot segments. */
    private static URI strict(String s) {
        URI u;
        try {
            u = new URI(s).parseServerAuthority();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL (" + e.getReason() + ")");
        }
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("only http and https URLs (not " + (scheme == null ? "a relative URL" : scheme + ":") + ")");
        }
        if (u.getRawUserInfo() != null || (u.getRawAuthority() != null && u.getRawAuthority().contains("@"))) {
            throw new IllegalArgumentException("a URL with user info (user@host) is refused");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        if (u.getRawFragment() != null) {
            throw new IllegalArgumentException("a fragment (#) is refused");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")
                || ("/" + path + "/").contains("/../") || ("/" + path + "/").contains("/./")) {
            throw new IllegalArgumentException("dot segments or encoded separators in the path are refused");
        }
        return u;
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
