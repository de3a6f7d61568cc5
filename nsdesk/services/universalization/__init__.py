"""universalization"""
