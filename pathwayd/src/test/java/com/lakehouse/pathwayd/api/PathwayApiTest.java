package com.lakehouse.pathwayd.api;

import com.lakehouse.contracts.testing.S3ProxyTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The pathway API on the embedded S3 server (S3Proxy as a child process). */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakePeersResource.class, restrictToAnnotatedClass = true)
class PathwayApiTest extends PathwayApiContract {
}
