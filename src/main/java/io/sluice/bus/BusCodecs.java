package io.sluice.bus;

import io.vertx.core.eventbus.EventBus;

/** Registers every bus message codec as the default codec of its type. */
public final class BusCodecs {
    private BusCodecs() {
    }

    public static void register(EventBus bus) {
        bus.registerDefaultCodec(ProduceRequest.class, new ProduceRequest.Codec());
        bus.registerDefaultCodec(ProduceResponse.class, new ProduceResponse.Codec());
        bus.registerDefaultCodec(FetchRequest.class, new FetchRequest.Codec());
        bus.registerDefaultCodec(FetchResponse.class, new FetchResponse.Codec());
        bus.registerDefaultCodec(OffsetsRequest.class, new OffsetsRequest.Codec());
        bus.registerDefaultCodec(OffsetsResponse.class, new OffsetsResponse.Codec());
        bus.registerDefaultCodec(LeaderEpochRequest.class, new LeaderEpochRequest.Codec());
        bus.registerDefaultCodec(LeaderEpochResponse.class, new LeaderEpochResponse.Codec());
        bus.registerDefaultCodec(BrokerHeartbeatRequest.class, new BrokerHeartbeatRequest.Codec());
        bus.registerDefaultCodec(BrokerHeartbeatResponse.class, new BrokerHeartbeatResponse.Codec());
        // One codec per record: the bus picks a default codec by the body's exact class.
        for (Class<?> c : ControllerCommand.class.getPermittedSubclasses()) {
            registerCommand(bus, c.asSubclass(ControllerCommand.class));
        }
        for (Class<?> c : ControllerReply.class.getPermittedSubclasses()) {
            registerReply(bus, c.asSubclass(ControllerReply.class));
        }
        for (Class<?> c : GroupRequest.class.getPermittedSubclasses()) {
            registerGroupRequest(bus, c);
        }
        for (Class<?> c : GroupReply.class.getPermittedSubclasses()) {
            registerGroupReply(bus, c.asSubclass(GroupReply.class));
        }
        for (Class<?> c : RegistryCommand.class.getPermittedSubclasses()) {
            registerRegistryCommand(bus, c.asSubclass(RegistryCommand.class));
        }
        bus.registerDefaultCodec(RegistryReply.class, new RegistryReply.Codec());
        for (Class<?> c : AssignmentChange.class.getPermittedSubclasses()) {
            registerAssignmentChange(bus, c.asSubclass(AssignmentChange.class));
        }
    }

    private static <T extends ControllerCommand> void registerCommand(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new ControllerCommandCodec<>(type));
    }

    private static <T extends ControllerReply> void registerReply(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new ControllerReplyCodec<>(type));
    }

    @SuppressWarnings("unchecked") // a permitted subclass of GroupRequest<?> is a GroupRequest<?> (asSubclass only knows the raw type)
    private static <T extends GroupRequest<?>> void registerGroupRequest(EventBus bus, Class<?> type) {
        Class<T> request = (Class<T>) type.asSubclass(GroupRequest.class);
        bus.registerDefaultCodec(request, new GroupRequestCodec<>(request));
    }

    private static <T extends GroupReply> void registerGroupReply(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new GroupReplyCodec<>(type));
    }

    private static <T extends RegistryCommand> void registerRegistryCommand(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new RegistryCommandCodec<>(type));
    }

    private static <T extends AssignmentChange> void registerAssignmentChange(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new AssignmentChangeCodec<>(type));
    }
}
