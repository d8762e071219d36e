package com.lakehouse.validatord.service;

/** A check needs the roster and none is loaded yet (answered 503). */
public class RosterUnavailableException extends RuntimeException {
    public RosterUnavailableException(String message) {
        super(message);
    }
}
