"""Parent-side checks for Q4 (RNN, LSTM); see checks_q1 for the part format."""

from .compare import as_array, close
from .probes.rnn import VOCAB_SIZE


def _model(job, kind):
    def check(ctx):
        v, e = ctx.job(job), ctx.expected(job)
        problems = []
        if sorted(v["counts"].values()) != [1, 1, 1] or v["batch_first"] != [True] \
                or v["out_features"] != [VOCAB_SIZE]:
            problems.append(f"expected one Embedding, one batch_first {kind} and one Linear to "
                            f"the vocabulary; found {v['counts']}, batch_first "
                            f"{v['batch_first']}, Linear outputs {v['out_features']}")
        logits = as_array(v["logits"])
        if logits is None or logits.shape != (4, VOCAB_SIZE):
            problems.append(f"model output must have shape (4, {VOCAB_SIZE})")
        elif v["manual"] is not None:
            ok, _ = close(v["logits"], v["manual"], "logits", rtol=1e-5, atol=1e-6)
            if not ok:
                problems.append("the output is not Linear(final hidden state of the top layer)")
        ok, msg = close(v["adapter"], e["adapter"], f"{kind}OutputAdapter output")
        problems += [] if ok else [msg]
        return [(not problems, "; ".join(problems) or "architecture and adapter as required")]
    return check


rnn = _model("rnn_model", "RNN")
lstm = _model("lstm_model", "LSTM")
