package org.recsys.core.eval;

/** One row of an interactions file: who, what, how much and when. */
public record Rating(String user, String item, float rating, long timestamp) {}
