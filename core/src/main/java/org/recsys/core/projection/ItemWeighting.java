package org.recsys.core.projection;

import org.recsys.core.util.EnumIds;

/** How much a warm item counts when a projection is fitted: equally, or by how much its factor was trained. */
public enum ItemWeighting {
    UNIFORM,
    /** log(1 + interactions): a factor learnt from many interactions is a more trustworthy target. */
    LOG_COUNT;

    public float weight(int interactions) {
        return this == UNIFORM ? 1f : (float) Math.log1p(interactions);
    }

    public String id() {
        return EnumIds.id(this);
    }

    public static ItemWeighting fromId(String id) {
        return EnumIds.parse(ItemWeighting.class, id, "item_weighting");
    }
}
