package com.lakehouse.gateway.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses and validates upstream base URLs at startup, so a typo in the launcher's flags stops the gateway with
 * a message naming the config key instead of turning into 503s at request time.
 */
public final class UpstreamUrls {
    private UpstreamUrls() {
    }

    /** A malformed upstream URL; the message names the config key and the value. */
    public static final class InvalidUpstreamException extends IllegalStateException {
        public InvalidUpstreamException(String key, String value, String why) {
            super("gateway refuses to start: " + key + "='" + value + "' is not a valid upstream base URL: " + why
                    + " (expected http(s)://host[:port][/base-path])");
        }
    }

    /** Parses a comma-separated list of base URLs from config key {@code key}; at least one is required. */
    public static List<URI> parseList(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidUpstreamException(key, String.valueOf(value), "empty");
        }
        List<URI> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new InvalidUpstreamException(key, value, "empty entry in the list");
            }
            out.add(parse(key, p));
        }
        return List.copyOf(out);
    }

    /** One base URL: http or https, a host, an optional port and path; no query, fragment or user info. */
    public static URI parse(String key, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new InvalidUpstreamException(key, value, e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new InvalidUpstreamException(key, value, "scheme must be http or https");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new InvalidUpstreamException(key, value, "no host");
        }
        if (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw new InvalidUpstreamException(key, value, "user info is not allowed");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new InvalidUpstreamException(key, value, "port out of range");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidUpstreamException(key, value, "query and fragment are not allowed");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme.toLowerCase(), null, uri.getHost(), uri.getPort(), path.isEmpty() ? null : path,
                    null, null);
        } catch (URISyntaxException e) {
            throw new InvalidUpstreamException(key, value, e.getReason());
        }
    }

    /** The port to connect to, defaulting by scheme. */
    public static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    }

    /** The base path without a trailing slash, "" when none. */
    public static String basePath(URI uri) {
        return uri.getRawPath() == null ? "" : uri.getRawPath();
    }
}
