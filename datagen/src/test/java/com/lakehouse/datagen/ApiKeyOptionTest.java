package com.lakehouse.datagen;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 25: the loader takes its key from a file or the environment; --api-key still works, with a warning. */
class ApiKeyOptionTest {
    @Test
    void fileThenEnvironmentThenArgument() throws Exception {
        Path f = Files.createTempFile("key", "");
        try {
            Files.writeString(f, "lh_from_file\n");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream e = new PrintStream(err, true);
            assertEquals("lh_from_file", Main.apiKey(Map.of("api-key-file", f.toString(), "api-key", "x"),
                    Map.of("LAKEHOUSE_API_KEY", "lh_env"), e));
            assertEquals("lh_env", Main.apiKey(Map.of("api-key", "x"), Map.of("LAKEHOUSE_API_KEY", "lh_env"), e));
            assertEquals("", err.toString());
            assertEquals("lh_arg", Main.apiKey(Map.of("api-key", "lh_arg"), Map.of(), e));
            assertTrue(err.toString().contains("visible in ps"), err.toString());
            assertNull(Main.apiKey(Map.of(), Map.of(), e));
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
