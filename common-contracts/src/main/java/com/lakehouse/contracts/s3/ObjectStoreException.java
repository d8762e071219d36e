package com.lakehouse.contracts.s3;

/** S3 was unreachable or refused an operation. Daemons map it to 503 where a request depended on it. */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
