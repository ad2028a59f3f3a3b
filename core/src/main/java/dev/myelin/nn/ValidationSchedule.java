package dev.myelin.nn;

import java.util.List;
import java.util.TreeSet;

/**
 * After which epochs {@code fit} validates: Keras's {@code validation_freq}, either an int (every
 * {@code freq}-th epoch) or a list of 1-based epoch numbers.
 *
 * @param freq the number of epochs between validations, or 0 when {@code epochs} is given
 * @param epochs the 1-based epochs to validate after, sorted and without repeats, or empty
 */
record ValidationSchedule(int freq, List<Integer> epochs) {

    static final ValidationSchedule EVERY_EPOCH = new ValidationSchedule(1, List.of());

    static ValidationSchedule every(int freq) {
        if (freq < 1) {
            throw new IllegalArgumentException("fit: argument 'validation_freq' must be >= 1, got " + freq);
        }
        return new ValidationSchedule(freq, List.of());
    }

    static ValidationSchedule after(List<Integer> epochs) {
        if (epochs == null) {
            throw new NullPointerException("fit: argument 'validation_freq' is null");
        }
        TreeSet<Integer> sorted = new TreeSet<>();
        for (int i = 0; i < epochs.size(); i++) {
            Integer e = epochs.get(i);
            if (e == null || e < 1) {
                throw new IllegalArgumentException("fit: argument 'validation_freq' must list epoch numbers >= 1"
                        + " (1-based, as Keras), got " + e + " at index " + i);
            }
            sorted.add(e);
        }
        return new ValidationSchedule(0, List.copyOf(sorted));
    }

    /** Whether to validate after the epoch of 0-based index {@code epoch}. */
    boolean validatesAfter(int epoch) {
        return freq > 0 ? (epoch + 1) % freq == 0 : epochs.contains(epoch + 1);
    }
}
