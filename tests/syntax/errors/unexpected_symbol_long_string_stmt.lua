[[abc]]
