package dev.myelin.bench.report;

/** Markdown text helpers. */
final class Markdown {

    private Markdown() {
    }

    /** Makes {@code text} safe inside a table cell: pipes escaped, line breaks flattened. */
    static String escape(String text) {
        return text.replace("|", "\\|").replace("\r", "").replace("\n", " ");
    }
}
