package dev.myelin.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old contents or the new, never a half file: the bytes
 * go to a temporary file next to the target, are forced to disk, and the temporary file is renamed
 * over the target. Every file Myelin writes (weights, plots, reports) goes through here.
 *
 * <p>What the target may be:
 * <ul>
 * <li>A symbolic link is followed (through every link of a chain): its final target is replaced and
 *     the link stays a link.</li>
 * <li>A folder, FIFO, device or socket is refused before anything is written, with an
 *     {@link IOException} that names the path and what it is.</li>
 * <li>The target's folder must exist and be writable ({@link #checkDestination} also accepts a
 *     folder that can be made, for a caller that makes it).</li>
 * </ul>
 *
 * <p>Temporary files are named {@code .<name>.myelin-tmp-<random>} in the target's folder. One left by
 * a killed process is removed by the next write of the same target once it is older than
 * {@link #STALE_AFTER} (a younger one may belong to a save still running in another process).
 */
public final class AtomicFile {

    /** What a write does with the open temporary file: writes the whole contents, leaves it open. */
    @FunctionalInterface
    public interface Contents {
        /**
         * Writes the contents to {@code channel}, positioned at 0 of an empty file.
         *
         * @param channel the open temporary file, writable; the write closes and forces it, so leave it open
         * @throws IOException when writing fails; the write then removes the temporary file and rethrows
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /** The marker in the names of temporary files: {@code .<name>.myelin-tmp-<random>}. */
    public static final String TEMP_MARKER = ".myelin-tmp-";
    /** Age after which a temporary file of the same target is taken as left by a dead writer. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);
    /** Links followed before a chain is taken as a loop. */
    private static final int MAX_LINKS = 40;

    private AtomicFile() {
    }

    /**
     * Writes {@code contents} to {@code file} atomically and returns the path actually replaced (the
     * final target of a symbolic link, else {@code file} made absolute).
     *
     * @param file the file to write, relative or absolute, possibly a symbolic link; not null
     * @param contents writes the new contents to the temporary file; not null
     * @return the absolute path actually replaced (a link's final target, else {@code file})
     * @throws IOException when the target is a folder or special file, its folder does not exist, or
     *     writing, forcing or renaming fails; the temporary file is then removed and the target left as it was
     */
    public static Path write(Path file, Contents contents) throws IOException {
        Objects.requireNonNull(contents, "contents");
        Path target = resolve(file);
        checkTarget(target);
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "the folder to write " + target.getFileName() + " in does not exist");
        }
        removeStaleTemps(target);
        Path temp = dir.resolve(tempPrefix(target) + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                contents.writeTo(channel);
                channel.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(dir);
        return target;
    }

    /**
     * Writes {@code bytes} to {@code file} atomically (see {@link #write(Path, Contents)}).
     *
     * @param file the file to write, possibly a symbolic link; not null
     * @param bytes the whole new contents; not null, may be empty
     * @return the absolute path actually replaced (a link's final target, else {@code file})
     * @throws IOException when the target cannot be replaced, as for {@link #write(Path, Contents)}
     */
    public static Path write(Path file, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        return write(file, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /**
     * Writes {@code text} as UTF-8 to {@code file} atomically (see {@link #write(Path, Contents)}).
     *
     * @param file the file to write, possibly a symbolic link; not null
     * @param text the whole new contents, encoded as UTF-8 without a byte order mark; not null
     * @return the absolute path actually replaced (a link's final target, else {@code file})
     * @throws IOException when the target cannot be replaced, as for {@link #write(Path, Contents)}
     */
    public static Path writeString(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks, without writing the target, that {@link #write} could replace {@code file}: it is not a
     * folder, FIFO, device or socket (after following links), and its folder exists and takes a new
     * file, or, with {@code folderMayBeMade}, can be made (its nearest existing ancestor is a writable
     * folder). Writability is tried for real, with a temporary file that is removed at once, so a
     * read-only file system or missing permission is caught here. Returns the path a write would replace.
     *
     * @param file the file a later write would replace, possibly a symbolic link; not null
     * @param folderMayBeMade true to accept a missing folder whose nearest existing ancestor takes new files
     *     (for a caller that makes the folder first); false to require the folder to exist
     * @return the absolute path a write would replace (a link's final target, else {@code file})
     * @throws IOException naming the path and what is wrong with it
     */
    public static Path checkDestination(Path file, boolean folderMayBeMade) throws IOException {
        Path target = resolve(file);
        checkTarget(target);
        Path dir = target.getParent();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new NoSuchFileException(dir.toString(), null, "no part of this folder exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new FileSystemException(existing.toString(), null, "is a file, not a folder, so "
                    + target + " cannot be written under it");
        }
        if (!existing.equals(dir) && !folderMayBeMade) {
            throw new NoSuchFileException(dir.toString(), null,
                    "the folder to write " + target.getFileName() + " in does not exist");
        }
        Path probe = existing.resolve(tempPrefix(target) + "probe-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createFile(probe);
        } catch (IOException e) {
            FileSystemException refused = new FileSystemException(existing.toString(), null,
                    "cannot create files in this folder, so " + target + " cannot be written ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            refused.initCause(e);
            throw refused;
        }
        Files.deleteIfExists(probe);
        return target;
    }

    /**
     * Removes the temporary files of {@code target} ({@code .<name>.myelin-tmp-*} in its folder) older
     * than {@link #STALE_AFTER}; returns how many. Files it cannot read or remove are left alone.
     *
     * @param target the file whose temporary files to clean up, as resolved by a write; not null
     * @return the number of temporary files removed, 0 when none or the folder cannot be read
     */
    public static int removeStaleTemps(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        String prefix = tempPrefix(target);
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : entries) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(cutoff)) {
                        Files.delete(p);
                        removed++;
                    }
                } catch (IOException e) {
                    // Gone already, or not ours to remove: the save itself does not depend on it.
                }
            }
        } catch (IOException e) {
            // An unreadable folder fails the write itself, with a clearer message.
        }
        return removed;
    }

    /** The name prefix of {@code target}'s temporary files: {@code .<name>.myelin-tmp-}. */
    static String tempPrefix(Path target) {
        return "." + target.getFileName() + TEMP_MARKER;
    }

    /** {@code file} absolute, with every symbolic link along it followed, even when the last one dangles. */
    static Path resolve(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path p = file.toAbsolutePath().normalize();
        for (int links = 0; Files.isSymbolicLink(p); links++) {
            if (links == MAX_LINKS) {
                throw new FileSystemException(file.toString(), null, "too many levels of symbolic links");
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        if (Files.exists(p)) {
            return p.toRealPath();
        }
        Path parent = p.getParent();
        return Files.exists(parent) ? parent.toRealPath().resolve(p.getFileName()) : p;
    }

    private static void checkTarget(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class);
        if (a.isDirectory()) {
            throw new FileSystemException(target.toString(), null, "is a folder; expected a file name");
        }
        if (!a.isRegularFile()) {
            throw new FileSystemException(target.toString(), null, "is a " + kind(target)
                    + ", not a regular file: refusing to replace it");
        }
    }

    private static String kind(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            int type = ((Integer) mode) & 0170000;
            return switch (type) {
                case 0010000 -> "FIFO (named pipe)";
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                case 0140000 -> "socket";
                default -> "special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "special file (FIFO, device or socket)";
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable; not every platform can open a folder, so this is best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The data file itself is already on disk; only the rename's durability is left to the OS.
        }
    }
}
