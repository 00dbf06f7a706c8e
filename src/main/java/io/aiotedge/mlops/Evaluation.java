package io.aiotedge.mlops;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Holdout metrics of a binary classifier at threshold 0.5: accuracy, precision, recall, ROC AUC
 * (the Mann-Whitney statistic, ties counted half).
 */
public record Evaluation(int n, double accuracy, double precision, double recall, double rocAuc) {

    public static Evaluation of(Dataset d, Function<double[], Double> score) {
        int n = d.size();
        double[] s = new double[n];
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < n; i++) {
            s[i] = score.apply(d.x()[i]);
            boolean predicted = s[i] >= 0.5;
            boolean actual = d.y()[i] == 1;
            if (predicted && actual) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
        }
        return new Evaluation(n, n == 0 ? 0 : (tp + tn) / (double) n, tp + fp == 0 ? 0 : tp / (double) (tp + fp),
                tp + fn == 0 ? 0 : tp / (double) (tp + fn), auc(s, d.y()));
    }

    static double auc(double[] score, int[] y) {
        Integer[] idx = new Integer[score.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && score[idx[j + 1]] == score[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (y[idx[k]] == 1) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = score.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
