"""audience"""
