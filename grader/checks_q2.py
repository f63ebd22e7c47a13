"""Parent-side checks for Q2 (CNN); see checks_q1 for the part format."""


def transforms(ctx):
    return [(5, False, "not graded yet")]


def model(ctx):
    return [(5, False, "not graded yet")]


def training(ctx):
    return [(12, False, "not graded yet")]


def curves(ctx):
    return [(2, False, "not graded yet")]


def confusion(ctx):
    return [(2, False, "not graded yet")]
