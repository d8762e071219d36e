package com.lakehouse.pathwayd.api;

import com.lakehouse.contracts.testing.MinioContainerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The same API tests on a real MinIO in a container, for machines with a Docker engine; {@link PathwayApiTest}
 * covers the same behaviour on S3Proxy where there is none.
 */
@QuarkusTest
@EnabledIf("com.lakehouse.contracts.testing.MinioContainerTestResource#dockerAvailable")
@QuarkusTestResource(value = MinioContainerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakePeersResource.class, restrictToAnnotatedClass = true)
class PathwayApiMinioTest extends PathwayApiContract {
}
