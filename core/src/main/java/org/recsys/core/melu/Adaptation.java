package org.recsys.core.melu;

/**
 * One user's adapted model: the user's embedded features and the fast decision weights, with what happened to the
 * support ratings. Owned by the caller; {@link MeluModel#predict} only reads it.
 *
 * @param ratingsUsed  support ratings the local steps saw
 * @param unknownItems support ratings skipped because their item is not in the catalogue
 * @param adapted      false when no rating could be used (or the model has no local steps): the weights are the
 *                     global ones, the unadapted model
 */
public record Adaptation(float[] userVector, float[] fastWeights, int ratingsUsed, int unknownItems, boolean adapted) {}
