package com.lakehouse.gateway.api;

import com.lakehouse.gateway.service.ApiKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts one fake daemon per fleet member on free ports and points the gateway at them. distilld points at a
 * closed port (a daemon that is down); pathwayd has two replicas (round robin); observerd has a dead replica
 * in front of a live one (failover); replayd gets a 1 s timeout; fleet metrics a 1 s timeout and rates over at least
 * 200 ms; the metrics history samples every 250 ms and keeps six. Keys come from config and from a key file.
 */
public class FakeFleetResource implements QuarkusTestResourceLifecycleManager {
    static final String KEY = "test-key-1";
    static final String FILE_KEY = "test-key-from-file";
    /** Named keys in the key file's hashed format: read only, read+write, and one limited to a request per 100 s. */
    static final String READER_KEY = "lh_reader_key";
    static final String WRITER_KEY = "lh_writer_key";
    static final String TRICKLE_KEY = "lh_trickle_key";
    static final int MAX_BODY = 64 * 1024;
    private final List<FakeDaemon> fakes = new ArrayList<>();
    private Path keyFile;

    @Override
    public Map<String, String> start() {
        try {
            Map<String, String> cfg = new HashMap<>();
            for (String d : List.of("embedd", "vectord", "matrixd", "chatd", "validatord", "replayd", "catalogd")) {
                cfg.put("lakehouse.fleet." + d, start(d).url());
            }
            String dead = "http://127.0.0.1:" + closedPort();
            cfg.put("lakehouse.fleet.distilld", dead);
            cfg.put("lakehouse.gateway.upstreams.pathwayd", start("pathwayd-a").url() + "," + start("pathwayd-b").url());
            cfg.put("lakehouse.gateway.upstreams.observerd", "http://127.0.0.1:" + closedPort() + ", " + start("observerd").url());
            cfg.put("lakehouse.gateway.timeouts.replayd", "1s");
            cfg.put("lakehouse.gateway.fleet-metrics.timeout", "1s");
            cfg.put("lakehouse.gateway.fleet-metrics.min-rate-interval", "200ms");
            // the metrics history ring: a sample every 250 ms, six kept (FleetMetricsHistoryTest)
            cfg.put("lakehouse.gateway.metrics-history.interval", "250ms");
            cfg.put("lakehouse.gateway.metrics-history.capacity", "6");
            cfg.put("lakehouse.gateway.max-body-bytes", Integer.toString(MAX_BODY));
            cfg.put("lakehouse.gateway.api-keys", KEY + ",test-key-2");
            keyFile = Files.createTempFile("gateway-keys", ".txt");
            Files.writeString(keyFile, "# test keys\n\n" + FILE_KEY + "\n"
                    + "name=reader scopes=read sha256=" + ApiKeys.sha256Hex(READER_KEY) + "\n"
                    + "name=writer scopes=read,write sha256=" + ApiKeys.sha256Hex(WRITER_KEY) + "\n"
                    + "name=trickle scopes=all sha256=" + ApiKeys.sha256Hex(TRICKLE_KEY) + " rate=0.01\n");
            cfg.put("lakehouse.gateway.api-keys-file", keyFile.toString());
            return cfg;
        } catch (IOException e) {
            stop();
            throw new IllegalStateException(e);
        }
    }

    private FakeDaemon start(String name) throws IOException {
        FakeDaemon f = new FakeDaemon(name);
        fakes.add(f);
        return f;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void stop() {
        fakes.forEach(FakeDaemon::stop);
        fakes.clear();
        if (keyFile != null) {
            try {
                Files.deleteIfExists(keyFile);
            } catch (IOException ignored) {
                // a temp file; nothing else to do
            }
        }
    }
}
