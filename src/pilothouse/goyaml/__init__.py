"""goyaml"""
