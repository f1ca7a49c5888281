f'a''b'
