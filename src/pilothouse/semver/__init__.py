"""semver"""
