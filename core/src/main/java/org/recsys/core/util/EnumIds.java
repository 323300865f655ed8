package org.recsys.core.util;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The names enum constants go by in requests and flags: lowercase, e.g. {@code TOP4_MEAN} is {@code top4_mean}. */
public final class EnumIds {

    private EnumIds() {}

    public static String id(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant named {@code id}; otherwise an error naming {@code what}, the value and the accepted ids. */
    public static <E extends Enum<E>> E parse(Class<E> type, String id, String what) {
        for (E constant : type.getEnumConstants()) {
            if (id(constant).equals(id)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " [" + id + "]; expected one of " + ids(type));
    }

    public static String ids(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(EnumIds::id).collect(Collectors.joining(", ", "[", "]"));
    }
}
