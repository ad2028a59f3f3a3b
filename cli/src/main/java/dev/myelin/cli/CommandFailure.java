package dev.myelin.cli;

/** A command cannot do what it was asked for a reason the user can fix; the message says how. */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }
}
