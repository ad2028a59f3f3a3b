package dev.myelin.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Keras 3's {@code BackupAndRestore}: at the end of every epoch the whole training state (weights, optimizer
 * slots and iteration count, the epochs trained, the epoch to continue at) is written atomically to
 * {@code backupDir/latest.myelin}. When a fit is interrupted (the process killed, a step or callback
 * throwing) and fit is called again with a BackupAndRestore on the same folder, on a model of the same
 * architecture and optimizer (the same object, or a new one in a new process), the state is restored and
 * training continues at the next epoch: the final weights equal those of an uninterrupted run bit for bit
 * (same backend, same seed). When the fit finishes, the backup is deleted (with {@code deleteCheckpoint}).
 *
 * <p>The other callbacks' own counters (ReduceLROnPlateau's or EarlyStopping's wait and best value) are
 * not in the backup, as in Keras: a restored run that uses them starts them afresh.
 *
 * <p>Keras's defaults: save_freq {@code "epoch"} (the only frequency here: Keras's batch backups resume at
 * the start of the interrupted epoch, which does not give the uninterrupted result), delete_checkpoint true.
 * Only this callback's own file is deleted, not the folder's other contents.
 */
public final class BackupAndRestore implements Callback {

    /** The backup's file name inside the backup folder. */
    public static final String FILE_NAME = "latest" + ModelFile.EXTENSION;

    private final Path backupDir;
    private final boolean deleteCheckpoint;
    private Sequential model;

    /**
     * Backups in {@code backupDir} with Keras's defaults (every epoch, deleted at the end).
     *
     * @param backupDir the folder of the backup, made when needed; not null
     */
    public BackupAndRestore(Path backupDir) {
        this(backupDir, "epoch", true);
    }

    /**
     * Backups in {@code backupDir}.
     *
     * @param backupDir the folder of the backup, made when needed; not null
     * @param saveFreq Keras's {@code save_freq}; only {@code "epoch"}
     * @param deleteCheckpoint true to delete the backup when the fit finishes
     * @throws IllegalArgumentException if {@code saveFreq} is not {@code "epoch"}
     */
    public BackupAndRestore(Path backupDir, String saveFreq, boolean deleteCheckpoint) {
        this.backupDir = Objects.requireNonNull(backupDir, "BackupAndRestore: argument 'backup_dir' is null");
        if (!"epoch".equals(saveFreq)) {
            throw new IllegalArgumentException("BackupAndRestore: argument 'save_freq' must be \"epoch\" (a backup"
                    + " within an epoch would not resume exactly), got '" + saveFreq + "'");
        }
        this.deleteCheckpoint = deleteCheckpoint;
    }

    /**
     * The backup file, {@code backupDir/latest.myelin}.
     *
     * @return the path of the backup
     */
    public Path file() {
        return backupDir.resolve(FILE_NAME);
    }

    @Override
    public void onTrainBegin(Sequential model) {
        this.model = model;
        String unstorable = model.optimizer().notStorable();
        if (unstorable != null) {
            throw new IllegalStateException("BackupAndRestore: a model file cannot hold the optimizer, which uses "
                    + unstorable);
        }
        if (!Files.exists(file())) {
            return;
        }
        try {
            Map<String, Object> state = ModelFile.restoreInto(model, file());
            if (!(state.get("epoch") instanceof Long epoch) || epoch < 0 || epoch > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file() + ": 'training_state.epoch' must be an epoch index, got "
                        + state.get("epoch"));
            }
            model.restoredEpoch = (int) (long) epoch;
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot restore from " + file(), e);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        try {
            Files.createDirectories(backupDir);
            ModelFile.save(model, file(), Map.of("epoch", (long) epoch + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot write " + file(), e);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (!deleteCheckpoint) {
            return;
        }
        try {
            Files.deleteIfExists(file());
            if (!Files.isDirectory(backupDir)) {
                return;
            }
            try (var rest = Files.list(backupDir)) {
                if (rest.findAny().isEmpty()) {
                    Files.delete(backupDir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot delete " + file(), e);
        }
    }
}
