"""The first stage: read the content tree strictly, check it against the schemas and itself.

`tree.load_content` is the entry: every file is loaded with line marks (`load`), validated
(`schema`), cross-checked (`checks`, `programme`, `translations`) and built into the model.
"""
