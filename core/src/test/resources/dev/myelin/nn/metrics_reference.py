# Independent float64 reference for MetricsTest: Keras 3's metric formulas written in numpy
# (keras/src/metrics/confusion_metrics.py, metrics_utils.py, accuracy_metrics.py), on fixed data.
# Run: python3 metrics_reference.py  (prints the data and expected values MetricsTest embeds)
import numpy as np

rng = np.random.default_rng(20261203)
f32 = lambda a: np.asarray(a, dtype=np.float32)

yb = f32(rng.integers(0, 2, 40))
pb = f32(np.round(rng.uniform(0, 1, 40), 3))
wb = f32(np.round(rng.uniform(0.1, 2, 40), 2))
logits = f32(np.round(rng.normal(0, 2, 40), 3))
pm = rng.uniform(0, 1, (12, 6)); pm = f32(np.round(pm / pm.sum(1, keepdims=True), 4))
pm[3, 2] = pm[3, 4]  # a tie
ym = f32(rng.integers(0, 6, 12))
yml = f32(rng.integers(0, 2, (12, 6)))
wm = f32(np.round(rng.uniform(0.1, 2, 12), 2))

def counts(y, p, thresholds, w=None):
    y = (y != 0).reshape(-1); p = p.reshape(-1).astype(np.float32)
    w = np.ones_like(y, dtype=np.float64) if w is None else np.asarray(w, np.float64).reshape(-1)
    out = []
    for t in thresholds:
        pos = p > np.float32(t)
        out.append(((w * (pos & y)).sum(), (w * (pos & ~y)).sum(), (w * (~pos & ~y)).sum(), (w * (~pos & y)).sum()))
    return np.array(out)  # tp, fp, tn, fn per threshold

def dnn(a, b):
    return np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))

def auc(y, p, w=None, n=200, curve="ROC", summation="interpolation"):
    th = [-1e-7] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + 1e-7]
    c = counts(y, np.clip(p, 0, 1), th, w)
    tp, fp, tn, fn = c[:, 0], c[:, 1], c[:, 2], c[:, 3]
    if curve == "PR" and summation == "interpolation":
        dtp = tp[:-1] - tp[1:]
        pp = tp + fp
        slope = dnn(dtp, np.maximum(pp[:-1] - pp[1:], 0))
        intercept = tp[1:] - slope * pp[1:]
        ratio = np.where((pp[:-1] > 0) & (pp[1:] > 0), dnn(pp[:-1], np.maximum(pp[1:], 0)), 1.0)
        return dnn(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0)).sum()
    rec = dnn(tp, tp + fn)
    x, yy = (dnn(fp, fp + tn), rec) if curve == "ROC" else (rec, dnn(tp, tp + fp))
    h = {"interpolation": (yy[:-1] + yy[1:]) / 2, "minoring": np.minimum(yy[:-1], yy[1:]),
         "majoring": np.maximum(yy[:-1], yy[1:])}[summation]
    return ((x[:-1] - x[1:]) * h).sum()

def top_k_filter(p, k):
    out = np.full_like(p, -1e10)
    for r in range(p.shape[0]):
        idx = np.argsort(-p[r], kind="stable")[:k]
        out[r, idx] = p[r, idx]
    return out

def precision_recall(y, p, thresholds=None, top_k=None, class_id=None, w=None):
    if thresholds is None:
        thresholds = [0.5] if top_k is None else [-1e10]
    if top_k is not None:
        p = top_k_filter(p, top_k)
    if w is not None:
        w = np.repeat(np.asarray(w)[:, None], p.shape[1], 1)
    if class_id is not None:
        y, p = y[:, class_id], p[:, class_id]
        w = None if w is None else w[:, class_id]
    c = counts(y, p, thresholds, w)
    return dnn(c[:, 0], c[:, 0] + c[:, 1]), dnn(c[:, 0], c[:, 0] + c[:, 3])

def in_top_k(p, labels, k):
    return np.array([np.all(np.isfinite(p[r])) and (p[r] > p[r, int(labels[r])]).sum() < k for r in range(len(labels))])

def jarr(name, a, fmt="%.9g"):
    a = np.asarray(a).reshape(-1)
    print("    private static final float[] %s = {%s};" % (name, ", ".join((fmt % v) + "f" for v in a)))

jarr("YB", yb); jarr("PB", pb); jarr("WB", wb); jarr("LOGITS", logits)
jarr("PM", pm); jarr("YM", ym); jarr("YML", yml); jarr("WM", wm)
e = {}
c = counts(yb, pb, [0.3, 0.5, 0.7]); e["counts"] = c.T.reshape(-1)
c = counts(yb, pb, [0.5], wb); e["weightedCounts"] = c.reshape(-1)
e["aucRoc"] = auc(yb, pb); e["aucPr"] = auc(yb, pb, curve="PR")
e["aucRocMinoring"] = auc(yb, pb, summation="minoring"); e["aucRocMajoring"] = auc(yb, pb, summation="majoring")
e["aucPrMajoring"] = auc(yb, pb, curve="PR", summation="majoring"); e["aucRocWeighted"] = auc(yb, pb, wb)
e["aucRoc10"] = auc(yb, pb, n=10)
e["aucLogits"] = auc(yb, 1 / (1 + np.exp(-logits.astype(np.float64))))
pr = precision_recall(yb.reshape(-1, 1), pb.reshape(-1, 1)); e["precision"], e["recall"] = pr[0][0], pr[1][0]
pr = precision_recall(yb.reshape(-1, 1), pb.reshape(-1, 1), thresholds=[0.3, 0.7])
e["precisionThresholds"], e["recallThresholds"] = pr
pr = precision_recall(yml.reshape(12, 6), pm.reshape(12, 6), top_k=2); e["precisionTop2"], e["recallTop2"] = pr[0][0], pr[1][0]
pr = precision_recall(yml.reshape(12, 6), pm.reshape(12, 6), thresholds=[0.2], class_id=3)
e["precisionClass3At02"], e["recallClass3At02"] = pr[0][0], pr[1][0]
pr = precision_recall(yml.reshape(12, 6), pm.reshape(12, 6), top_k=2, class_id=1, w=wm)
e["precisionTop2Class1Weighted"], e["recallTop2Class1Weighted"] = pr[0][0], pr[1][0]
pr = precision_recall(yml.reshape(12, 6), pm.reshape(12, 6), top_k=1); e["precisionTop1"], e["recallTop1"] = pr[0][0], pr[1][0]
e["top5"] = in_top_k(pm, ym, 5).mean(); e["top2"] = in_top_k(pm, ym, 2).mean()
h = in_top_k(pm, ym, 2); e["top2Weighted"] = (h * wm).sum() / wm.sum()
e["top1"] = in_top_k(pm, ym, 1).mean()
cm = np.zeros((6, 6))
for r in range(12):
    cm[int(ym[r]), int(np.argmax(pm[r]))] += 1
e["confusion"] = cm.reshape(-1)
for k, v in e.items():
    v = np.asarray(v, dtype=np.float64).reshape(-1)
    print("    private static final double[] %s = {%s};" % (k.upper() if False else "E_" + k, ", ".join("%.17g" % x for x in v)))
