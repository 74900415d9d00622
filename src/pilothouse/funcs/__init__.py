"""funcs"""
