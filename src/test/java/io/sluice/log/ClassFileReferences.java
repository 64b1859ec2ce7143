package io.sluice.log;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What a compiled class refers to, read from its constant pool (JVMS §4.4): the classes it names
 * and the fields and methods it uses, each with its owner. A call, a field access, a method
 * reference ({@code log::flush}) and a lambda's target all leave a {@code Methodref} or
 * {@code Fieldref} there, so a class that can reach a member names it in this pool. Enough for
 * architecture tests without a bytecode library. {@code texts} holds every UTF-8 constant, where
 * the descriptors of the class's own fields and methods name the types they use.
 */
record ClassFileReferences(String className, Set<String> classes, Set<Member> members, Set<String> texts) {
    /** A field or method as the pool names it: internal owner name ({@code io/sluice/log/Log}), name. */
    record Member(String owner, String name, String descriptor) {
        @Override
        public String toString() {
            return owner.replace('/', '.') + "." + name + descriptor;
        }
    }

    static ClassFileReferences read(Path classFile) throws IOException {
        try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            int[] tags = new int[count];
            int[] first = new int[count];
            int[] second = new int[count];
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                tags[i] = tag;
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++; // (8-byte constants take two slots)
                    }
                    case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> {
                        first[i] = in.readUnsignedShort();
                        second[i] = in.readUnsignedShort();
                    }
                    case 15 -> {
                        in.readUnsignedByte();
                        first[i] = in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " in " + classFile);
                }
            }
            in.readUnsignedShort(); // access flags
            String self = utf8[first[in.readUnsignedShort()]];
            Set<String> classes = new HashSet<>();
            Set<Member> members = new HashSet<>();
            Set<String> texts = new HashSet<>();
            for (int i = 1; i < count; i++) {
                if (utf8[i] != null) {
                    texts.add(utf8[i]);
                }
                if (tags[i] == 7) {
                    classes.add(utf8[first[i]]);
                } else if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                    String owner = utf8[first[first[i]]];
                    int nameAndType = second[i];
                    members.add(new Member(owner, utf8[first[nameAndType]], utf8[second[nameAndType]]));
                }
            }
            return new ClassFileReferences(self, classes, members, texts);
        }
    }

    /** The package of this class, in internal form ({@code io/sluice/log}). */
    String packageName() {
        int slash = className.lastIndexOf('/');
        return slash < 0 ? "" : className.substring(0, slash);
    }
}
