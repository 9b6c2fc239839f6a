package dev.etlprofiler.report.cost;

/**
 * One line of a cost estimate, per run, with its inputs and formula so it can be checked by hand.
 *
 * @param category compute, storage, transfer, processing or api
 * @param item what is priced
 * @param quantity how much of it one run used
 * @param unit the unit of quantity and price
 * @param unitPrice price per unit
 * @param amount cost per run
 * @param formula how amount follows from the inputs, in words and numbers
 */
public record CostLine(
    String category,
    String item,
    double quantity,
    String unit,
    double unitPrice,
    double amount,
    String formula) {}
