"""PDFs the case keeps: material PDFs now; notices, e-licences and seals later."""
