package com.lakehouse.distilld.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the audit baselines' git_commit comes from: the fleet-wide commit the deploy paths set. */
class DistilldConfigTest {
    /** The mapping as Quarkus builds it: with the default interceptors, which expand ${...} in defaults. */
    static DistilldConfig config(Map<String, String> props) {
        SmallRyeConfig c = new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(DistilldConfig.class)
                .withSources(new PropertiesConfigSource(props, "test", 100)).build();
        return c.getConfigMapping(DistilldConfig.class);
    }

    @Test
    void gitCommitFollowsTheFleetWideCommit() {
        assertEquals("0123abcd", config(Map.of("lakehouse.git-commit", "0123abcd")).gitCommit());
    }

    @Test
    void distilldsOwnKeyWinsAndNothingSetIsUnknown() {
        assertEquals("own", config(Map.of("lakehouse.git-commit", "fleet", "lakehouse.distilld.git-commit", "own"))
                .gitCommit());
        assertEquals("unknown", config(Map.of()).gitCommit());
    }

    @Test
    void exportsSpillUnderTheTempDirWithASixteenMebibyteBuffer() {
        DistilldConfig c = config(Map.of());
        assertEquals(16L * 1024 * 1024, c.exportBufferBytes());
        assertTrue(c.workDir().isEmpty(), "unset: java.io.tmpdir/distilld");
        assertEquals("/var/tmp/d", config(Map.of("lakehouse.distilld.work-dir", "/var/tmp/d")).workDir().orElseThrow());
    }
}
