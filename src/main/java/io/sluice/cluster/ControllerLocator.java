package io.sluice.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which node is the controller, as far as this node knows: the quorum's leader (a voter hears it
 * from its own quorum member) or whoever announced the highest controller epoch (a broker hears
 * the controller's publications and beacons). A lower epoch never displaces a higher one, so a
 * deposed controller that still announces itself, woken from a pause or cut off, is not followed.
 * Thread-safe; listeners run on the thread that made the change.
 */
public final class ControllerLocator {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private String controllerId;
    private long epoch = -1;

    /** The controller this node follows, or null while it knows of none. */
    public synchronized String controllerId() {
        return controllerId;
    }

    public synchronized long epoch() {
        return epoch;
    }

    /**
     * {@code nodeId} announced itself as controller in {@code epoch}.
     *
     * @return whether it is the controller this node follows now
     */
    public boolean observe(String nodeId, long epoch) {
        boolean changed;
        synchronized (this) {
            if (epoch < this.epoch || (epoch == this.epoch && controllerId != null && !nodeId.equals(controllerId))) {
                // (One controller per epoch: a tie with another node is a deposed one, or one the
                // quorum has since replaced, announcing itself late.)
                return false;
            }
            changed = !nodeId.equals(controllerId);
            controllerId = nodeId;
            this.epoch = epoch;
        }
        if (changed) {
            listeners.forEach(Runnable::run);
        }
        return true;
    }

    /**
     * The quorum elected {@code nodeId} (null: an election is under way). Its epoch is not known
     * until it announces one, so it is followed at once, at the epoch known so far.
     */
    public void elected(String nodeId) {
        boolean changed;
        synchronized (this) {
            changed = nodeId == null ? controllerId != null : !nodeId.equals(controllerId);
            controllerId = nodeId;
        }
        if (changed) {
            listeners.forEach(Runnable::run);
        }
    }

    /** Called whenever the controller this node follows changes. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
