package com.lakehouse.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.lakehouse.fleet.DeployFilesTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/k8s rendered by kustomize (Debian's kubectl) and every rendered object checked against the fleet's own
 * config, read at test time: ports from application.properties, memory from the systemd units, state
 * directories from the units, the same shared settings as compose.
 */
class K8sManifestsTest {
    static final Path ROOT = FleetSupport.root();
    static final List<String> DAEMONS = DeployFilesTest.DAEMONS;
    static final Set<String> STATEFUL = Set.of("vectord", "observerd", "catalogd");
    static final Set<String> AUTOSCALED = Set.of("gateway", "embedd", "matrixd");
    /** The gateway's /q/* is on its management interface: public port + 12 (fixed fleet decision). */
    static final int GATEWAY_MANAGEMENT_OFFSET = 12;

    static List<JsonNode> base;
    static List<JsonNode> seaweedfs;

    @BeforeAll
    static void render() throws Exception {
        base = kustomize("deploy/k8s/base");
        seaweedfs = kustomize("deploy/k8s/overlays/seaweedfs");
    }

    static List<JsonNode> kustomize(String dir) throws Exception {
        DeployFilesTest.Result r = run(List.of("kubectl", "kustomize", ROOT.resolve(dir).toString()));
        assertEquals(0, r.exit(), "kubectl kustomize " + dir + ":\n" + r.output());
        List<JsonNode> docs = FleetConfigFiles.yamlDocuments(r.output());
        assertFalse(docs.isEmpty(), dir + " rendered nothing");
        for (JsonNode d : docs) {
            assertTrue(d.hasNonNull("apiVersion") && d.hasNonNull("kind") && d.path("metadata").hasNonNull("name"),
                    "object without apiVersion/kind/name in " + dir + ": " + d);
        }
        return docs;
    }

    static JsonNode find(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name)).findFirst().orElse(null);
    }

    static JsonNode container(JsonNode workload, String name) {
        for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(workload.path("metadata").path("name").asText() + " has no container " + name);
    }

    static int namedPort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + port);
    }

    static boolean selects(JsonNode selector, JsonNode labels) {
        var it = selector.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().startsWith("statefulset.kubernetes.io/")) {
                continue; // set by the StatefulSet controller on each pod
            }
            if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
                return false;
            }
        }
        return selector.size() > 0;
    }

    @Test
    void everyDaemonRunsWithItsPortProbesAndTheMemoryOfItsUnit() throws Exception {
        for (String d : DAEMONS) {
            String kind = STATEFUL.contains(d) ? "StatefulSet" : "Deployment";
            JsonNode w = find(base, kind, d);
            assertNotNull(w, d + " is not a " + kind);
            JsonNode c = container(w, d);
            assertEquals("lakehouse/" + d + ":latest", c.path("image").asText(), d + " image");
            int port = FleetConfigFiles.httpPort(d);
            assertEquals(port, namedPort(c, new com.fasterxml.jackson.databind.node.TextNode("http")), d + " http port");

            int probePort = d.equals("gateway") ? port + GATEWAY_MANAGEMENT_OFFSET : port;
            for (var probe : Map.of("readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live",
                    "startupProbe", "/q/health/live").entrySet()) {
                JsonNode get = c.path(probe.getKey()).path("httpGet");
                assertEquals(probe.getValue(), get.path("path").asText(), d + " " + probe.getKey() + " path");
                assertEquals(probePort, namedPort(c, get.path("port")), d + " " + probe.getKey() + " port");
            }
            Map<String, String> env = new HashMap<>();
            Map<String, JsonNode> secretRefs = new HashMap<>();
            for (JsonNode e : c.path("env")) {
                if (e.has("value")) {
                    env.put(e.path("name").asText(), e.path("value").asText());
                } else {
                    secretRefs.put(e.path("name").asText(), e.path("valueFrom").path("secretKeyRef"));
                }
            }
            if (d.equals("gateway")) {
                assertEquals("0.0.0.0", env.get("QUARKUS_MANAGEMENT_HOST"), "the kubelet probes the management port");
                assertEquals(String.valueOf(probePort), env.get("QUARKUS_MANAGEMENT_PORT"));
            }
            assertFalse(env.containsKey("JAVA_OPTS"), d + ": JAVA_OPTS come from the unit through the image");
            assertFalse(env.containsKey("QUARKUS_HTTP_PORT"), d + " overrides its port");

            // Memory: request = MemoryHigh, limit = MemoryMax of the unit, read now.
            JsonNode res = c.path("resources");
            assertEquals(FleetConfigFiles.systemdBytes(d, "MemoryHigh"), FleetConfigFiles.k8sBytes(res.path("requests").path("memory").asText()),
                    d + " memory request vs the unit's MemoryHigh");
            assertEquals(FleetConfigFiles.systemdBytes(d, "MemoryMax"), FleetConfigFiles.k8sBytes(res.path("limits").path("memory").asText()),
                    d + " memory limit vs the unit's MemoryMax");
            assertTrue(res.path("requests").hasNonNull("cpu"), d + " needs a CPU request (HPA utilization, scheduling)");

            // The unit's own settings (state directories) have the same values here.
            FleetConfigFiles.unitSettings(d).forEach((k, v) -> assertEquals(v, env.get(k), d + ": " + k + " differs from its unit"));
            // S3 credentials from the Secret, only where S3 is used.
            if (FleetConfigFiles.usesS3(d)) {
                for (String k : List.of("LAKEHOUSE_S3_ACCESS_KEY", "LAKEHOUSE_S3_SECRET_KEY")) {
                    assertEquals("lakehouse-secrets", secretRefs.getOrDefault(k, com.fasterxml.jackson.databind.node.MissingNode.getInstance())
                            .path("name").asText(), d + " " + k);
                }
            } else {
                assertFalse(secretRefs.containsKey("LAKEHOUSE_S3_SECRET_KEY"), d + " gets S3 credentials it does not use");
            }
            assertTrue(c.path("envFrom").toString().contains("lakehouse-config"), d + " does not read the shared ConfigMap");

            // Hardened: non-root, no privilege escalation, read-only root, writable state where the unit has it.
            JsonNode pod = w.path("spec").path("template").path("spec");
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), d);
            assertFalse(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true), d);
            assertTrue(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean(), d);
            assertTrue(c.path("volumeMounts").toString().contains("\"mountPath\":\"/var/lib/lakehouse/" + d + "\""), d + " state mount");

            // A Service on the daemon's port that selects its pods: the fleet URL http://<daemon>:<port>.
            JsonNode svc = find(base, "Service", d);
            assertNotNull(svc, "no Service " + d);
            assertEquals(port, svc.path("spec").path("ports").get(0).path("port").asInt(), d + " Service port");
            assertTrue(selects(svc.path("spec").path("selector"), w.path("spec").path("template").path("metadata").path("labels")),
                    "Service " + d + " does not select its pods");
        }
    }

    @Test
    void vectordObserverdAndCatalogdKeepTheirLocalStateOnPersistentVolumes() {
        for (String d : STATEFUL) {
            JsonNode sts = find(base, "StatefulSet", d);
            JsonNode claims = sts.path("spec").path("volumeClaimTemplates");
            assertEquals(1, claims.size(), d + " volumeClaimTemplates");
            String claim = claims.get(0).path("metadata").path("name").asText();
            boolean mounted = false;
            for (JsonNode m : container(sts, d).path("volumeMounts")) {
                mounted |= m.path("name").asText().equals(claim) && m.path("mountPath").asText().equals("/var/lib/lakehouse/" + d);
            }
            assertTrue(mounted, d + " does not mount its claim at /var/lib/lakehouse/" + d);
            String governing = sts.path("spec").path("serviceName").asText();
            JsonNode headless = find(base, "Service", governing);
            assertNotNull(headless, d + "'s governing Service " + governing);
            assertEquals("None", headless.path("spec").path("clusterIP").asText(), governing + " must be headless");
        }
        // vectord's default Service reaches exactly shard 0; shards are addressable one by one.
        assertEquals("vectord-0", find(base, "Service", "vectord").path("spec").path("selector")
                .path("statefulset.kubernetes.io/pod-name").asText());
    }

    @Test
    void gatewayEmbeddAndMatrixdScaleHorizontally() {
        for (String d : AUTOSCALED) {
            JsonNode hpa = find(base, "HorizontalPodAutoscaler", d);
            assertNotNull(hpa, "no HPA for " + d);
            assertEquals("Deployment", hpa.path("spec").path("scaleTargetRef").path("kind").asText());
            assertEquals(d, hpa.path("spec").path("scaleTargetRef").path("name").asText());
            assertTrue(hpa.path("spec").path("minReplicas").asInt() >= 2, d + " HPA minReplicas");
            assertTrue(hpa.path("spec").path("maxReplicas").asInt() > hpa.path("spec").path("minReplicas").asInt());
            // The HPA owns the replica count: a fixed one in the Deployment would fight it on every apply.
            assertFalse(find(base, "Deployment", d).path("spec").has("replicas"), d + " Deployment pins replicas");
        }
        Set<String> scaled = new HashSet<>();
        base.stream().filter(o -> o.path("kind").asText().equals("HorizontalPodAutoscaler"))
                .forEach(o -> scaled.add(o.path("metadata").path("name").asText()));
        assertEquals(AUTOSCALED, scaled);
    }

    @Test
    void sharedSettingsMatchComposeAndTheSecretTemplateHoldsNoValues(@TempDir Path tmp) throws Exception {
        JsonNode cm = find(base, "ConfigMap", "lakehouse-config").path("data");
        DeployFilesTest.Result r = DeployFilesTest.compose(DeployFilesTest.filledEnvFile(tmp), DeployFilesTest.COMPOSE);
        assertEquals(0, r.exit(), r.output());
        JsonNode compose = FleetConfigFiles.YAML.readTree(r.output()).path("services");
        JsonNode composeEnv = compose.path("vectord").path("environment");
        List<String> shared = new java.util.ArrayList<>(List.of("LAKEHOUSE_S3_ENDPOINT", "LAKEHOUSE_S3_BUCKET"));
        DAEMONS.forEach(d -> shared.add("LAKEHOUSE_FLEET_" + d.toUpperCase()));
        for (String k : shared) {
            assertEquals(composeEnv.path(k).asText(), cm.path(k).asText(), k + " differs between compose and k8s");
        }
        // The same eleven daemons in the units, compose and the k8s base.
        Set<String> units = new TreeSet<>();
        try (var files = Files.list(ROOT.resolve("deploy/systemd"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("lakehouse-[a-z]+\\.service"))
                    .forEach(n -> units.add(n.substring("lakehouse-".length(), n.length() - ".service".length())));
        }
        Set<String> composed = new TreeSet<>();
        compose.fields().forEachRemaining(e -> {
            if (e.getValue().path("build").path("args").has("DAEMON")) {
                composed.add(e.getValue().path("build").path("args").path("DAEMON").asText());
            }
        });
        Set<String> k8s = new TreeSet<>();
        for (JsonNode o : base) {
            for (JsonNode c : o.path("spec").path("template").path("spec").path("containers")) {
                if (c.path("image").asText().startsWith("lakehouse/")) {
                    k8s.add(c.path("name").asText());
                }
            }
        }
        assertEquals(new TreeSet<>(DAEMONS), units, "systemd units");
        assertEquals(units, composed, "compose daemons vs units");
        assertEquals(units, k8s, "k8s daemons vs units");

        // Every Secret key a pod reads is in the template, and the template carries no value.
        JsonNode template = FleetConfigFiles.YAML.readTree(ROOT.resolve("deploy/k8s/base/secret.example.yaml").toFile());
        assertEquals("lakehouse-secrets", template.path("metadata").path("name").asText());
        template.path("stringData").fields().forEachRemaining(e ->
                assertEquals("", e.getValue().asText(), "secret.example.yaml has a value for " + e.getKey()));
        for (List<JsonNode> docs : List.of(base, seaweedfs)) {
            for (JsonNode o : docs) {
                JsonNode podSpec = o.path("spec").path("template").path("spec");
                for (String group : List.of("containers", "initContainers")) {
                    for (JsonNode c : podSpec.path(group)) {
                        for (JsonNode e : c.path("env")) {
                            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                            if (!ref.isMissingNode()) {
                                assertEquals("lakehouse-secrets", ref.path("name").asText());
                                assertTrue(template.path("stringData").has(ref.path("key").asText()),
                                        c.path("name").asText() + " reads " + ref.path("key").asText() + ", not in secret.example.yaml");
                            }
                        }
                    }
                }
            }
        }
        assertTrue(base.stream().noneMatch(o -> o.path("kind").asText().equals("Secret")),
                "the base must not apply a Secret (it would overwrite the real credentials)");
    }

    @Test
    void seaweedfsOverlayAddsMastersVolumeServersAndAFilerWithS3() {
        // Everything of the base is still there.
        for (JsonNode o : base) {
            assertNotNull(find(seaweedfs, o.path("kind").asText(), o.path("metadata").path("name").asText()),
                    "overlay lost " + o.path("kind").asText() + "/" + o.path("metadata").path("name").asText());
        }
        JsonNode master = find(seaweedfs, "StatefulSet", "seaweedfs-master");
        JsonNode volume = find(seaweedfs, "StatefulSet", "seaweedfs-volume");
        JsonNode filer = find(seaweedfs, "StatefulSet", "seaweedfs-filer");
        assertNotNull(master);
        assertNotNull(volume);
        assertNotNull(filer);
        assertTrue(master.path("spec").path("replicas").asInt() % 2 == 1, "raft wants an odd number of masters");
        assertTrue(volume.path("spec").path("replicas").asInt() >= 2, "one volume server is not distributed");
        assertEquals(1, volume.path("spec").path("volumeClaimTemplates").size(), "volume servers keep data on a PV");
        String masterArgs = container(master, "master").path("args").toString();
        assertTrue(masterArgs.contains("-peers="), masterArgs);
        JsonNode filerC = container(filer, "filer");
        String filerArgs = filerC.path("args").toString();
        assertTrue(filerArgs.contains("\"-s3\"") && filerArgs.contains("-s3.config="), filerArgs);

        // The endpoint the ConfigMap names (http://s3:9000) is the filer's S3 port.
        String endpoint = find(seaweedfs, "ConfigMap", "lakehouse-config").path("data").path("LAKEHOUSE_S3_ENDPOINT").asText();
        var m = java.util.regex.Pattern.compile("http://([a-z0-9-]+):([0-9]+)").matcher(endpoint);
        assertTrue(m.matches(), endpoint);
        JsonNode s3 = find(seaweedfs, "Service", m.group(1));
        assertNotNull(s3, "no Service for the S3 endpoint " + endpoint);
        JsonNode sp = s3.path("spec").path("ports").get(0);
        assertEquals(Integer.parseInt(m.group(2)), sp.path("port").asInt());
        assertTrue(selects(s3.path("spec").path("selector"), filer.path("spec").path("template").path("metadata").path("labels")),
                "the S3 Service does not select the filer");
        int s3Port = namedPort(filerC, sp.path("targetPort"));
        assertTrue(filerArgs.contains("-s3.port=" + s3Port), "filer's S3 gateway is not on " + s3Port + ": " + filerArgs);
    }
}
