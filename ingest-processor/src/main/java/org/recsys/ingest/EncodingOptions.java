package org.recsys.ingest;

import org.recsys.core.encoder.Pooling;

/** How one text is to be encoded: texts with equal options can share a forward pass. */
public record EncodingOptions(Pooling pooling, boolean normalize, int maxSequenceLength) {}
